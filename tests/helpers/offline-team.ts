import { checkSyntax, createWorkspaceTools } from '../../src/agents/mcp/index.js';
import { createAgentPipeline } from '../../src/agents/pipeline/app-pipeline.js';
import type { AppValidator } from '../../src/agents/pipeline/validation-gate.js';
import { createOfflineProvider } from '../../src/agents/providers/offline-provider.js';
import type { AppGenerator } from '../../src/core/ports/app-generator.js';
import { passingValidator } from './pipeline-fixtures.js';
import { TEMPLATE_DEPS_CACHE } from './sandbox-fixtures.js';

/**
 * The offline agent team with validation stood in for (no npm): for tests about wiring, publishing
 * and links rather than the app. `validateApp` says what validation reports (screenshots, failures).
 */
export function offlineTeam(validateApp: AppValidator = passingValidator, repairRounds = 1): AppGenerator {
  return createAgentPipeline({
    provider: createOfflineProvider(),
    connectTools: (dir) => createWorkspaceTools(dir),
    checkSyntax: (dir) => checkSyntax(dir),
    validateApp,
    cacheDir: TEMPLATE_DEPS_CACHE,
    validationTimeoutMs: 60_000,
    repairRounds,
  });
}
