import { AutonomaError } from '../../../core/errors.js';
import type { EnsureOutcome, EnsureRepositoryInput, RepositoryRef } from '../../../core/ports/forge.js';
import type { GitHubContext } from './github-context.js';
import { callGitHub, findOnGitHub, githubMessage, httpStatus, toForgeError } from './github-errors.js';
import { isMarkedFor, markedDescription, normaliseTopics } from './repository-marker.js';

export type OwnerType = 'org' | 'user' | 'auto';

const MAX_NAME_SUFFIX = 20;

interface RepositoryData {
  full_name: string;
  html_url: string;
  default_branch?: string;
  description: string | null;
  topics?: string[];
}

const toRef = (data: RepositoryData): RepositoryRef => ({
  forge: 'github',
  fullName: data.full_name,
  location: data.html_url,
  defaultBranch: data.default_branch || 'main',
});

export interface RepositoryEnsurer {
  ensureRepository(input: EnsureRepositoryInput): Promise<{ repo: RepositoryRef; outcome: EnsureOutcome }>;
}

/**
 * Find first: `name` if it is free or already ours for this request, else `name-2`, `name-3`…; a
 * repository that exists but is someone else's is never touched.
 */
export function createRepositoryEnsurer(ctx: GitHubContext, ownerType: OwnerType): RepositoryEnsurer {
  const { octokit, owner } = ctx;
  let resolvedOwnerType: 'org' | 'user' | undefined = ownerType === 'auto' ? undefined : ownerType;

  async function ownerKind(): Promise<'org' | 'user'> {
    if (resolvedOwnerType) return resolvedOwnerType;
    const { data } = await callGitHub(`looking up the owner ${owner}`, () =>
      octokit.rest.users.getByUsername({ username: owner }),
    );
    resolvedOwnerType = data.type === 'Organization' ? 'org' : 'user';
    return resolvedOwnerType;
  }

  const getRepository = (name: string) =>
    findOnGitHub(`reading the repository ${owner}/${name}`, async () => {
      const { data } = await octokit.rest.repos.get({ owner, repo: name });
      return data as RepositoryData;
    });

  async function createRepository(
    name: string,
    input: EnsureRepositoryInput,
  ): Promise<RepositoryData | null> {
    const body = {
      name,
      description: markedDescription(input.description, input.requestId),
      private: input.private,
      auto_init: false,
    };
    try {
      const kind = await ownerKind();
      const { data } =
        kind === 'org'
          ? await octokit.rest.repos.createInOrg({ org: owner, ...body })
          : await octokit.rest.repos.createForAuthenticatedUser(body);
      return data as RepositoryData;
    } catch (error) {
      if (httpStatus(error) === 422 && /already exists/i.test(githubMessage(error))) return null;
      throw toForgeError(error, `creating the repository ${owner}/${name}`);
    }
  }

  async function ensureTopics(data: RepositoryData, topics: string[]): Promise<boolean> {
    const current = [...(data.topics ?? [])].sort().join(',');
    if (current === [...topics].sort().join(',')) return false;
    const [repoOwner = owner, repo = ''] = data.full_name.split('/');
    await callGitHub(`setting the topics of ${data.full_name}`, () =>
      octokit.rest.repos.replaceAllTopics({ owner: repoOwner, repo, names: topics }),
    );
    return true;
  }

  async function ensureRepository(input: EnsureRepositoryInput) {
    const topics = normaliseTopics(input.topics);
    for (let suffix = 1; suffix <= MAX_NAME_SUFFIX; suffix += 1) {
      const name = suffix === 1 ? input.name : `${input.name}-${suffix}`;
      let existing = await getRepository(name);
      if (!existing) {
        const created = await createRepository(name, input);
        if (created) {
          await ensureTopics(created, topics);
          ctx.logger.info({ repository: created.full_name }, 'created repository');
          return { repo: toRef(created), outcome: 'created' as const };
        }
        // 422 "name already exists": made meanwhile (a concurrent retry) or hidden from us.
        existing = await getRepository(name);
      }
      if (existing && isMarkedFor(existing.description, input.requestId)) {
        // A crash between creating the repository and setting its topics is finished here.
        const updated = await ensureTopics(existing, topics);
        return { repo: toRef(existing), outcome: updated ? ('updated' as const) : ('unchanged' as const) };
      }
    }
    throw new AutonomaError(
      'conflict',
      `The names ${owner}/${input.name} to ${input.name}-${MAX_NAME_SUFFIX} are all taken. Ask for a different app name.`,
    );
  }

  return { ensureRepository };
}
