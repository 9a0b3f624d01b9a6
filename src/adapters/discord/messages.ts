import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
} from 'discord.js';
import { checklistRows, type ChecklistRow, type StatusView } from '../../core/conversation/status-view.js';
import type { Link } from '../../core/domain/progress.js';
import { preview, splitText } from './split-text.js';

/** Discord's documented limits (messages and embeds). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFieldValue: 1024,
  embedTotal: 6000,
  buttonUrl: 512,
  /** More overflow messages than this and the text is attached as a file instead. */
  overflowMessages: 4,
} as const;

/** A message as Autonoma sends it; `attachment` becomes a file upload. Nobody is ever pinged. */
export interface MessageBody {
  content: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
  flags?: number;
  attachment?: { name: string; text: string };
  /** Images uploaded with the message (after `attachment`); an embed shows one as `attachment://<name>`. */
  images?: MessageImage[];
  /** Makes the message a reply to another one (in the same channel). */
  message_reference?: { message_id: string; fail_if_not_exists: false };
}

/** A PNG sent as a message attachment; `description` is its alt text. */
export interface MessageImage {
  name: string;
  png: Uint8Array;
  description?: string;
}

/** What the running status message shows: the shared status view, once the request has an id. */
export type StatusInput = Pick<
  StatusView,
  'kind' | 'prompt' | 'status' | 'stages' | 'percent' | 'elapsedMs' | 'costUsd'
> &
  Partial<Pick<StatusView, 'note'>> & { requestId: string };

/** What the final embed shows: the shared view of a finished request. */
export type FinalView = Pick<StatusView, 'kind' | 'prompt' | 'links' | 'elapsedMs' | 'costUsd'> & {
  requestId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** The review summary on success, the error message otherwise. */
  summary: string;
};

/** The final embed's input from a finished request's view. */
export function finalViewOf(view: StatusView & { requestId: string }): FinalView {
  return {
    requestId: view.requestId,
    kind: view.kind,
    prompt: view.prompt,
    status: view.status === 'succeeded' || view.status === 'cancelled' ? view.status : 'failed',
    summary: view.finalMessage ?? '',
    links: view.links,
    elapsedMs: view.elapsedMs,
    costUsd: view.costUsd,
  };
}

export const CUSTOM_ID_PREFIX = 'autonoma';
export type ButtonAction = 'cancel' | 'retry';

export function customId(action: ButtonAction, requestId: string): string {
  return `${CUSTOM_ID_PREFIX}:${action}:${requestId}`;
}

export function parseCustomId(id: string): { action: ButtonAction; requestId: string } | undefined {
  const match = /^autonoma:(cancel|retry):([0-9a-f-]{36})$/.exec(id);
  return match ? { action: match[1] as ButtonAction, requestId: match[2]! } : undefined;
}

const noMentions = { parse: [] } as { parse: [] };

const STAGE_ICON: Record<ChecklistRow['state'], string> = {
  pending: '⬜',
  started: '⏳',
  completed: '✅',
  failed: '❌',
  skipped: '⏭️',
};

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

function progressBar(percent: number): string {
  const filled = Math.round(Math.min(100, Math.max(0, percent)) / 10);
  return `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)} ${Math.round(percent)}%`;
}

function heading(kind: 'build' | 'iterate', prompt: string): string {
  return `**${kind === 'build' ? 'Building' : 'Updating the pull request'}:** ${preview(prompt, 300)}`;
}

function button(action: ButtonAction, requestId: string): APIButtonComponent {
  return action === 'cancel'
    ? {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: 'Cancel',
        custom_id: customId('cancel', requestId),
      }
    : {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: 'Retry',
        custom_id: customId('retry', requestId),
      };
}

function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** The status message while a job is queued or running: checklist, percent, time, cost, Cancel. */
export function statusMessage(view: StatusInput): MessageBody {
  const checklist = checklistRows(view)
    .map((row) => `${STAGE_ICON[row.state]} ${row.label}`)
    .join('\n');
  const state = view.status === 'queued' ? 'Queued, waiting for a worker…' : (view.note ?? 'Working…');
  const lines = [
    heading(view.kind, view.prompt),
    `${progressBar(view.percent)} · ${formatElapsed(view.elapsedMs)} elapsed · ${formatCost(view.costUsd)} so far`,
    preview(state, 200),
    checklist,
    `-# request \`${view.requestId}\``,
  ];
  return {
    content: lines.join('\n'),
    components: [{ type: ComponentType.ActionRow, components: [button('cancel', view.requestId)] }],
    allowed_mentions: noMentions,
  };
}

const FINAL_TITLE: Record<FinalView['status'], string> = {
  succeeded: '✅ Done',
  failed: '❌ The build failed',
  cancelled: '🛑 Cancelled',
};
const FINAL_COLOR: Record<FinalView['status'], number> = {
  succeeded: 0x2ea043,
  failed: 0xd1242f,
  cancelled: 0x8c959f,
};

export interface FinalMessages {
  /** Replaces the status message: a one-line header, the embed and the buttons. */
  main: MessageBody;
  /** What did not fit in the embed, posted after it (in order); empty when everything fit. */
  overflow: MessageBody[];
}

/** The final result: an embed with links and summary, Open PR / Retry buttons, overflow kept whole. */
export function finalMessages(view: FinalView): FinalMessages {
  const pullRequest = view.links.find((l) => /pull request/i.test(l.label));
  const fieldLinks: Link[] = [];
  const extraLinks: Link[] = [];
  for (const link of view.links) {
    const value = isWebUrl(link.url) ? `[${link.label}](${link.url})` : `\`${link.url}\``;
    (value.length <= LIMITS.embedFieldValue ? fieldLinks : extraLinks).push(link);
  }
  const summary = view.summary.trim() || '(no summary)';
  const room = LIMITS.embedDescription - 64;
  let description = summary;
  let remainder = '';
  if (summary.length > LIMITS.embedDescription) {
    description = splitText(summary, room)[0]!;
    remainder = summary.slice(description.length).trim();
    description += '\n\n*(continued below)*';
  }
  const embed: APIEmbed = {
    title: FINAL_TITLE[view.status],
    description,
    color: FINAL_COLOR[view.status],
    fields: [
      ...fieldLinks.map((l) => ({
        name: l.label.slice(0, 256),
        value: isWebUrl(l.url) ? `[${l.url.replace(/^https?:\/\//, '')}](${l.url})` : `\`${l.url}\``,
        inline: false,
      })),
      { name: 'Time', value: formatElapsed(view.elapsedMs), inline: true },
      { name: 'Cost', value: formatCost(view.costUsd), inline: true },
    ].filter((f) => f.value.length <= LIMITS.embedFieldValue),
    footer: { text: `request ${view.requestId}` },
  };
  if (pullRequest && isWebUrl(pullRequest.url)) embed.url = pullRequest.url;

  const buttons: APIButtonComponent[] = [];
  if (pullRequest && isWebUrl(pullRequest.url) && pullRequest.url.length <= LIMITS.buttonUrl) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: 'Open PR',
      url: pullRequest.url,
    });
  }
  if (view.status !== 'succeeded') buttons.push(button('retry', view.requestId));

  const main: MessageBody = {
    content: heading(view.kind, view.prompt),
    embeds: [embed],
    components: buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
    allowed_mentions: noMentions,
  };
  const overflowText = [remainder, ...extraLinks.map((l) => `${l.label}: ${l.url}`)]
    .filter(Boolean)
    .join('\n\n');
  return { main, overflow: overflowMessages(overflowText, 'review-summary.md') };
}

/** Long text as several messages, or as one attached file when it would take too many. */
export function overflowMessages(text: string, fileName: string): MessageBody[] {
  if (text.trim() === '') return [];
  const parts = splitText(text, LIMITS.content);
  if (parts.length > LIMITS.overflowMessages) {
    return [
      {
        content: `The full text (${text.length} characters) is attached as \`${fileName}\`.`,
        allowed_mentions: noMentions,
        attachment: { name: fileName, text },
      },
    ];
  }
  return parts.map((content) => ({ content, allowed_mentions: noMentions }));
}

/** A milestone worth a thread reply: its message and links, split if long. */
export function milestoneMessages(message: string, links: Link[]): MessageBody[] {
  const linkLines = links.map((l) =>
    isWebUrl(l.url) ? `[${l.label}](<${l.url}>)` : `${l.label}: \`${l.url}\``,
  );
  return overflowMessages([message, ...linkLines].join('\n'), 'milestone.md');
}

/** An ephemeral reply to the user who ran a command or pressed a button. */
export function ephemeral(content: string): MessageBody {
  return { content: preview(content, LIMITS.content - 40), allowed_mentions: noMentions, flags: 64 };
}

export const HELP_TEXT = [
  '**Autonoma** turns a sentence into a working web app, delivered as a pull request.',
  '`/autonoma build prompt:<what to build>` — start a build; progress appears here and in a thread.',
  '`/autonoma status [id]` — where a job is (run it in the job’s thread, or pass the request id).',
  '`/autonoma cancel [id]` — stop a job.',
  '`/autonoma help` — this message.',
  'Messages in a finished job’s thread ask for changes to its pull request.',
].join('\n');

/** The thread reply when a job ends: short, with the PR link, pointing at the status message. */
export function finishedNotice(view: FinalView): MessageBody {
  const pullRequest = view.links.find((l) => /pull request/i.test(l.label) && isWebUrl(l.url));
  const text =
    view.status === 'succeeded'
      ? `✅ Done in ${formatElapsed(view.elapsedMs)}.${pullRequest ? ` Pull request: <${pullRequest.url}>` : ''}` +
        (view.kind === 'build' && pullRequest ? '\nReply in this thread to ask for changes.' : '')
      : view.status === 'cancelled'
        ? '🛑 Cancelled. Press Retry on the status message to run it again.'
        : `❌ The build failed: ${preview(view.summary, 1500)}\nPress Retry on the status message to try again.`;
  return { content: text, allowed_mentions: noMentions };
}

/** Discord's attachment limits: files per message, and bytes per message for a bot without boosts. */
export const ATTACHMENT_LIMITS = { files: 10, totalBytes: 10 * 2 ** 20 } as const;

/**
 * The app's screenshots as one message: the images attached (their labels as alt text), the first
 * shown large in an embed, and where the rest are when not all of them fit.
 */
export function screenshotsMessage(
  images: ReadonlyArray<{ file: string; label: string; png: Uint8Array }>,
  listed: number,
  pullRequestUrl?: string,
): MessageBody {
  const first = images[0]!;
  const more =
    listed > images.length && pullRequestUrl && isWebUrl(pullRequestUrl)
      ? `\nAll ${listed} are on the [pull request](<${pullRequestUrl}>).`
      : '';
  return {
    // Labels are short page names and there are at most ATTACHMENT_LIMITS.files: well under 2,000.
    content: `📸 The app running in a browser: ${images.map((i) => i.label).join(' · ')}${more}`,
    embeds: [
      {
        title: preview(first.label, LIMITS.embedTitle),
        image: { url: `attachment://${first.file}` },
        ...(pullRequestUrl && isWebUrl(pullRequestUrl) ? { url: pullRequestUrl } : {}),
      },
    ],
    allowed_mentions: noMentions,
    images: images.map((image) => ({
      name: image.file,
      png: image.png,
      description: preview(`Screenshot of the generated app: ${image.label}`, 1024),
    })),
  };
}

/** Instead of the upload: each screenshot's link (web URLs linked, other places named). */
export function screenshotLinksMessages(
  screenshots: ReadonlyArray<{ file: string; url: string }>,
  pullRequestUrl?: string,
): MessageBody[] {
  const links = screenshots.map((shot) =>
    isWebUrl(shot.url) ? `[${shot.file}](<${shot.url}>)` : `\`${shot.file}\``,
  );
  const where =
    pullRequestUrl && isWebUrl(pullRequestUrl) ? ` on the [pull request](<${pullRequestUrl}>)` : '';
  return overflowMessages(
    `📸 The screenshots could not be attached here. They are${where}: ${links.join(' · ')}`,
    'screenshots.md',
  );
}
