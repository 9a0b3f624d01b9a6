import type { types } from '@slack/bolt';
import {
  checklistRows,
  pullRequestUrl,
  stageLabel,
  type ChecklistRow,
  type StatusView,
} from '../../core/conversation/status-view.js';
import type { Link, ProgressEvent, Stage } from '../../core/domain/progress.js';
import type { GenerationRequest } from '../../core/domain/request.js';
import { escapeText, formatDuration, formatUsd, link, progressBar, truncate } from './format.js';

export type Block = types.KnownBlock;

export const ACTION_CANCEL = 'autonoma_cancel';
export const ACTION_RETRY = 'autonoma_retry';
export const ACTION_OPEN_PR = 'autonoma_open_pr';

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

const STAGE_ICON: Record<ChecklistRow['state'], string> = {
  pending: '▫️',
  started: '⏳',
  completed: '✅',
  skipped: '⏭️',
  failed: '❌',
};

const HEADLINE: Record<StatusView['status'], string> = {
  queued: '🕒 Queued',
  running: '⚙️ Building',
  succeeded: '✅ Built',
  failed: '❌ Failed',
  cancelled: '🛑 Cancelled',
};

/** What the user can do next, by error code; every failure message ends with one of these. */
export function adviceFor(errorCode: string | undefined): string {
  switch (errorCode) {
    case 'validation_failed':
      return 'The generated app did not pass its checks. Press *Retry*, or describe the app more simply.';
    case 'budget_exceeded':
      return 'The job reached its cost budget. Describe a smaller app, or ask whoever runs Autonoma to raise AUTONOMA_JOB_BUDGET_USD.';
    case 'invalid_input':
      return 'Rephrase the description (what the app manages and who uses it) and start a new build.';
    case 'timeout':
      return 'The job took too long. Press *Retry*; if it times out again, describe a smaller app.';
    case 'forge_failed':
      return 'Publishing the code failed. Ask whoever runs Autonoma to check the forge credentials, then press *Retry*.';
    case 'cancelled':
      return 'Press *Retry* to run it again.';
    default:
      return 'Press *Retry*. If it fails again, ask whoever runs Autonoma to look up this job id in the server logs.';
  }
}

function checklist(view: StatusView): string {
  return checklistRows(view)
    .map(({ label, state, current, message }) => {
      const name = state === 'started' ? `*${label}*` : label;
      const detail =
        state === 'started' && current && message ? ` — ${escapeText(truncate(message, 120))}` : '';
      return `${STAGE_ICON[state]} ${name}${detail}`;
    })
    .join('\n');
}

function linksLine(links: Link[]): string {
  return links.map((l) => link(l.url, l.label)).join(' · ');
}

/** The job's status message: headline, progress, stage checklist, outcome, buttons. */
export function statusMessage(view: StatusView): SlackMessage {
  const verb = view.kind === 'iterate' ? 'Change' : 'Build';
  const headline = `${HEADLINE[view.status]} — ${verb.toLowerCase()}: ${escapeText(truncate(view.prompt, 200))}`;
  const meta = [
    `${progressBar(view.percent)} ${Math.round(view.percent)}%`,
    `⏱ ${formatDuration(view.elapsedMs)}`,
    `💵 ${formatUsd(view.costUsd)}`,
  ].join('   ');
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: headline } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: meta }] },
    { type: 'section', text: { type: 'mrkdwn', text: checklist(view) } },
  ];
  if (view.status === 'succeeded') {
    const summary = view.finalMessage ? escapeText(truncate(view.finalMessage, 2600)) : 'Done.';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Review summary*\n${summary}` } });
    if (view.links.length > 0) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: linksLine(view.links) } });
    }
  } else if (view.status === 'failed' || view.status === 'cancelled') {
    const what = escapeText(truncate(view.finalMessage ?? 'The job stopped.', 1500));
    const label = view.status === 'failed' ? '*What failed:*' : '*Cancelled:*';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `${label} ${what}\n*What to do:* ${adviceFor(view.errorCode)}` },
    });
  }
  const buttons = actionButtons(view);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'autonoma_job', elements: buttons });
  if (view.requestId) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Job \`${view.requestId}\`` }] });
  }
  const text = `${HEADLINE[view.status]} (${Math.round(view.percent)}%): ${truncate(view.prompt, 150)}`;
  return { text, blocks };
}

function actionButtons(view: StatusView): types.Button[] {
  const value = view.requestId ?? '';
  const buttons: types.Button[] = [];
  if (view.status === 'queued' || view.status === 'running') {
    buttons.push({
      type: 'button',
      action_id: ACTION_CANCEL,
      text: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
      value,
    });
  }
  if (view.status === 'failed' || view.status === 'cancelled') {
    buttons.push({
      type: 'button',
      action_id: ACTION_RETRY,
      text: { type: 'plain_text', text: 'Retry' },
      style: 'primary',
      value,
    });
  }
  const pr = pullRequestUrl(view);
  if (pr) {
    buttons.push({
      type: 'button',
      action_id: ACTION_OPEN_PR,
      text: { type: 'plain_text', text: 'Open PR' },
      url: pr,
      value,
    });
  }
  return buttons;
}

const MILESTONE_ICON: Partial<Record<Stage, string>> = {
  queued: '⚠️',
  requirements: '🧭',
  validation: '🧪',
  review: '📝',
  publish: '🔀',
};

/** A milestone as a thread reply: "spec understood", "validation passed", "PR opened". */
export function milestoneText(event: Extract<ProgressEvent, { type: 'milestone' }>): string {
  const label = event.stage === 'requirements' ? 'Spec understood: ' : '';
  const links = event.links.length > 0 ? `\n${linksLine(event.links)}` : '';
  return `${MILESTONE_ICON[event.stage] ?? '•'} ${label}${escapeText(truncate(event.message, 3500))}${links}`;
}

/** The last thread reply: notifies the thread of the outcome (edits to the status message do not). */
export function finishedText(view: StatusView): string {
  const took = `${formatDuration(view.elapsedMs)}, ${formatUsd(view.costUsd)}`;
  switch (view.status) {
    case 'succeeded': {
      const links = view.links.length > 0 ? ` — ${linksLine(view.links)}` : '';
      return `✅ Done in ${took}${links}`;
    }
    case 'cancelled':
      return `🛑 Cancelled after ${took}. ${adviceFor('cancelled')}`;
    default: {
      const at = view.currentStage ? ` during *${stageLabel(view.currentStage)}*` : '';
      const what = escapeText(truncate(view.finalMessage ?? 'unknown error', 1500));
      return `❌ Failed${at}: ${what}\n*What to do:* ${adviceFor(view.errorCode)}`;
    }
  }
}

/** One line about a job, for `/autonoma status`. */
export function jobSummary(request: GenerationRequest, threadUrl?: string): string {
  const stage = request.stage ? ` · ${stageLabel(request.stage)}` : '';
  const pr = request.result?.pullRequest ? ` · ${link(request.result.pullRequest.url, 'pull request')}` : '';
  const thread = threadUrl ? ` · ${link(threadUrl, 'thread')}` : '';
  const error = request.errorMessage ? `\n> ${escapeText(truncate(request.errorMessage, 500))}` : '';
  return (
    `*${escapeText(truncate(request.prompt, 120))}*\n` +
    `\`${request.id}\` — ${request.status}${stage} · ${Math.round(request.percent)}%${pr}${thread}${error}`
  );
}
