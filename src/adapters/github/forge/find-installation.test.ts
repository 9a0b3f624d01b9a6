import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { findInstallationId } from './find-installation.js';

const api = 'https://ghe.example.test/api/v3';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

afterEach(() => nock.cleanAll());

describe('findInstallationId', () => {
  it('finds the organisation installation with an App JWT', async () => {
    const scope = nock(api)
      .get('/orgs/acme/installation')
      .matchHeader('authorization', /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i)
      .reply(200, { id: 4242, account: { login: 'acme' } });
    await expect(findInstallationId({ apiUrl: api, appId: 1, privateKey, owner: 'acme' })).resolves.toBe(
      4242,
    );
    scope.done();
  });

  it('falls back to the user installation, and names the fix when there is none', async () => {
    nock(api).get('/orgs/ada/installation').reply(404, { message: 'Not Found' });
    nock(api).get('/users/ada/installation').reply(200, { id: 7 });
    await expect(findInstallationId({ apiUrl: api, appId: 1, privateKey, owner: 'ada' })).resolves.toBe(7);

    nock(api).get('/orgs/nobody/installation').reply(404, { message: 'Not Found' });
    nock(api).get('/users/nobody/installation').reply(404, { message: 'Not Found' });
    await expect(findInstallationId({ apiUrl: api, appId: 1, privateKey, owner: 'nobody' })).rejects.toThrow(
      'The GitHub App is not installed on "nobody"',
    );
  });
});
