import type { IdentityRef, Platform } from '../domain/request.js';

/** What someone may try to do to a job they did not necessarily start. */
export type ChangeAction = 'iterate' | 'cancel' | 'retry';

/** The person acting. */
export interface Actor {
  platform: Platform;
  /** The stable id the platform gives them, the one requesters are stored by (GitHub: the numeric id). */
  id: string | undefined;
  /**
   * Other names operators may list them by in AUTONOMA_ADMINS (GitHub: the login). Never compared
   * with a requester: a GitHub login may be all digits, the same as someone else's numeric id.
   */
  names?: readonly string[];
  /**
   * The platform itself vouches for them (GitHub: write, maintain or admin on the repository). The
   * adapter looks that up; this function only weighs it.
   */
  designated?: boolean;
}

export interface AuthorizeInput {
  actor: Actor;
  /** Who asked for the job, and for an iteration who asked for the build it changes: each owns it. */
  owners: ReadonlyArray<IdentityRef | null | undefined>;
  action: ChangeAction;
  /** AUTONOMA_ADMINS entries for the actor's platform (ids, or logins on GitHub). */
  admins: readonly string[];
}

export type Authorization =
  | { allowed: true; as: 'requester' | 'admin' | 'designated' }
  | {
      allowed: false;
      /** The owner to name in the refusal, when one is known on the actor's platform. */
      owner: IdentityRef | undefined;
    };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether `actor` may iterate on, cancel or retry a job: its requester (or the requester of the build
 * it changes), an admin the operator listed, or someone the platform designates. Jobs with no
 * recorded requester (older rows, the CLI) are left to admins and the designated. Pure: every adapter
 * asks this one function, so the rule cannot drift between platforms.
 */
export function authorizeChange(input: AuthorizeInput): Authorization {
  const { actor } = input;
  const id = actor.id === '' ? undefined : actor.id;
  const owners = input.owners.filter((o): o is IdentityRef => o !== null && o !== undefined);
  const isOwner =
    id !== undefined && owners.some((owner) => owner.platform === actor.platform && owner.externalId === id);
  if (isOwner) return { allowed: true, as: 'requester' };
  const known = [...(id === undefined ? [] : [id]), ...(actor.names ?? []).filter((name) => name !== '')];
  if (input.admins.some((admin) => known.some((name) => same(name, admin))))
    return { allowed: true, as: 'admin' };
  if (actor.designated === true) return { allowed: true, as: 'designated' };
  return { allowed: false, owner: owners.find((o) => o.platform === actor.platform) };
}

const WHAT: Record<ChangeAction, string> = {
  iterate: 'change this app',
  cancel: 'cancel this job',
  retry: 'retry this job',
};

/**
 * The short, polite refusal: "Only <@U123> or a workspace admin can change this app." `ownerMention`
 * is the platform's way of naming the owner (Slack `<@U123>`, Discord `<@123>`, GitHub `@octocat`).
 */
export function refusalText(action: ChangeAction, ownerMention: string | undefined): string {
  return `Only ${ownerMention ?? 'the person who asked for it'} or a workspace admin can ${WHAT[action]}.`;
}
