/** The offline requirements analyst: prompt → Spec, and review-style change requests → Spec. */
export { parsePromptToSpec } from './parse-prompt.js';
export { applyChangeRequest, type ChangeResult } from './apply-change.js';
export { assertBuildableOffline, outOfScopeKind, outOfScopeMessage, type OutOfScopeKind } from './scope.js';
