/**
 * Pinning rules for `uses:`: a moving ref (a branch) lets whoever controls the action's repository
 * change the code that runs in the app's CI after review.
 */

const SHA = /^[0-9a-f]{40}$/i;
const RELEASE_TAG = /^v?\d+(?:\.\d+){0,2}$/;
const SEGMENT = /^(?!\.\.?$)[A-Za-z0-9_.-]+$/;
const DIGEST = /@sha256:[0-9a-f]{64}$/i;

/** Why a `uses:` value is refused (a sentence fragment after the quoted value), or undefined. */
export function usesProblem(uses: unknown): string | undefined {
  if (typeof uses !== 'string') return 'must be a string such as "actions/checkout@v4"';
  const value = uses.trim();
  if (value.startsWith('./')) return undefined; // the app's own action or reusable workflow
  if (/^docker:\/\//i.test(value)) {
    return DIGEST.test(value)
      ? undefined
      : 'must pin the image by digest (docker://image@sha256:<64 hex digits>)';
  }
  const at = value.lastIndexOf('@');
  if (at === -1) {
    return 'has no version; pin it to a release tag (e.g. @v4) or a full 40-character commit SHA';
  }
  const [owner, repo, ...path] = value.slice(0, at).split('/');
  if (!owner || !repo || ![owner, repo, ...path].every((segment) => SEGMENT.test(segment))) {
    return 'must name an action as owner/repo[/path]@ref, or a local ./path';
  }
  const ref = value.slice(at + 1);
  if (SHA.test(ref) || RELEASE_TAG.test(ref)) return undefined;
  return `uses the moving ref "@${ref.slice(0, 60)}"; pin it to a release tag (e.g. @v4 or @v4.1.2) or a full 40-character commit SHA`;
}
