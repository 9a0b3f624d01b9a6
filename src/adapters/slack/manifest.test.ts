import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../../core/package-root.js';
import { SLACK_EVENTS_PATH } from './create-slack-adapter.js';

/** The parts of Slack's app manifest format this app relies on. */
const ManifestSchema = z.object({
  features: z.object({
    bot_user: z.object({ display_name: z.string().min(1) }),
    app_home: z.object({ messages_tab_enabled: z.boolean(), messages_tab_read_only_enabled: z.boolean() }),
    slash_commands: z.array(
      z.object({ command: z.string(), url: z.string(), description: z.string(), should_escape: z.boolean() }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.string(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string() }),
    socket_mode_enabled: z.boolean(),
  }),
});

const manifest = ManifestSchema.parse(
  parse(readFileSync(path.join(packageRoot(), 'slack-manifest.yml'), 'utf8')) as unknown,
);
const eventsUrl = `https://YOUR_HOST${SLACK_EVENTS_PATH}`;

describe('slack-manifest.yml', () => {
  it('sends the command, events and interactivity to the one route the adapter serves', () => {
    const [command, ...others] = manifest.features.slash_commands;
    expect(others).toHaveLength(0);
    // Unescaped text: decodeSlackText undoes Slack's &amp; &lt; &gt; and nothing else.
    expect(command).toMatchObject({ command: '/autonoma', url: eventsUrl, should_escape: false });
    expect(manifest.settings.event_subscriptions.request_url).toBe(eventsUrl);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: eventsUrl });
  });

  it('subscribes to the events the adapter handles: mentions, DMs and thread replies', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'message.im', 'message.channels', 'message.groups']),
    );
    // Direct messages need the Messages tab to accept writing.
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('asks for the scopes behind each Web API call and event, and no more', () => {
    const needed = [
      'commands', // /autonoma
      'chat:write', // chat.postMessage, chat.update, chat.postEphemeral, chat.delete
      'chat:write.public', // status messages in public channels before anyone invites the bot
      'files:write', // files.getUploadURLExternal, files.completeUploadExternal (screenshots)
      'app_mentions:read',
      'im:history',
      'channels:history',
      'groups:history',
      'mpim:history',
    ];
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
