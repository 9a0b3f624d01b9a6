import { createCodeServer } from './code-server.js';
import { connectToolServers } from './tool-client.js';
import type { ToolClient } from './tool-client.js';
import { createWorkspaceServer } from './workspace-server.js';
import type { WorkspaceServerOptions } from './workspace-server.js';

export { checkSyntax } from './check-syntax.js';
export type { FileSyntaxReport, SyntaxReport } from './check-syntax.js';
export { createCodeServer } from './code-server.js';
export type { CodeServerOptions } from './code-server.js';
export type { OutlineSymbol, SymbolKind } from './outline.js';
export { languageForPath, warmUpSyntaxParsers } from './syntax.js';
export type { SyntaxLanguage, SyntaxProblem } from './syntax.js';
export { connectToolServers } from './tool-client.js';
export type { ToolClient, ToolResult } from './tool-client.js';
export { WorkspaceAccessError } from './workspace-jail.js';
export { createWorkspaceServer, DEFAULT_WORKSPACE_LIMITS } from './workspace-server.js';
export type { WorkspaceLimits, WorkspaceServerOptions } from './workspace-server.js';

/** The agents' full tool set over one workspace: file tools and code tools, behind one client. */
export function createWorkspaceTools(
  root: string,
  limits?: WorkspaceServerOptions['limits'],
  onWrite?: WorkspaceServerOptions['onWrite'],
): Promise<ToolClient> {
  return connectToolServers([createWorkspaceServer({ root, limits, onWrite }), createCodeServer({ root })]);
}
