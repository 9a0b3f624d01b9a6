import type { GenerationRequest, IdentityRef } from '../domain/request.js';
import type { GenerationService } from '../ports/generation-service.js';

/** Iteration chains are short (GITHUB_MAX_ITERATIONS is at most 100); this bounds a corrupt loop. */
const MAX_DEPTH = 100;

/**
 * The people who own a job: whoever asked for it, and whoever asked for the build at the root of its
 * iteration chain (the app is theirs, even after an admin changed it). Input to authorizeChange.
 */
export async function jobOwners(
  service: Pick<GenerationService, 'get'>,
  request: GenerationRequest,
): Promise<IdentityRef[]> {
  const owners: IdentityRef[] = request.requester ? [request.requester] : [];
  let current = request;
  const seen = new Set([request.id]);
  for (let depth = 0; current.parentRequestId && depth < MAX_DEPTH; depth++) {
    if (seen.has(current.parentRequestId)) break;
    seen.add(current.parentRequestId);
    const parent = await service.get(current.parentRequestId);
    if (!parent) break;
    current = parent;
  }
  if (current !== request && current.requester) owners.push(current.requester);
  return owners;
}
