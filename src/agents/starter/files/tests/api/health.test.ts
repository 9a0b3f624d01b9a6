import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app';

describe('GET /api/health', () => {
  it('answers ok', async () => {
    const res = await request(createApp()).get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await request(createApp()).get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({ error: { message: 'Not found' } });
  });
});
