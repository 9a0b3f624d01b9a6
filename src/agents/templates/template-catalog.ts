import { createHash } from 'node:crypto';
import type { Archetype, Spec } from '../../core/domain/spec.js';
import { APP_PARTS, renderAppPart, type AppPart } from '../offline/app/index.js';
import { describeApp } from '../offline/describe-app.js';
import { parsePromptToSpec } from '../offline/requirements/index.js';
import type { TemplateKind } from './template-store.js';

/**
 * The templates Autonoma seeds, taken from its own deterministic generator: one project template per
 * archetype (rendered from a representative request), and one code template per kind of file the
 * generator writes (entity files generalised as `[entity]`). Same generator, same catalog.
 */
export const REPRESENTATIVE_PROMPTS: Readonly<Record<Archetype, string>> = {
  todo: 'a todo app where tasks have tags',
  blog: 'a blog with posts, comments and authors',
  crm: 'a CRM for my sales team with contacts, companies and deals; each user logs in',
  inventory: 'inventory for a warehouse with products, suppliers and stock movements',
  booking: 'book meeting rooms by the hour',
  tracker: 'a bug tracker where each user logs in to report bugs',
  recipes: 'a cookbook of family recipes with ingredients and ratings',
  general: 'a library app with books and members who borrow them',
};

export interface CatalogCodeTemplate {
  name: string;
  kind: Exclude<TemplateKind, 'project'>;
  framework: string;
  path: string;
  code: string;
  /** What gets embedded. */
  text: string;
  sourceHash: string;
}

export interface CatalogProjectTemplate {
  name: string;
  archetype: Archetype;
  description: string;
  config: Record<string, unknown>;
  text: string;
  sourceHash: string;
}

export interface TemplateCatalog {
  code: CatalogCodeTemplate[];
  project: CatalogProjectTemplate[];
}

/** Lockfiles and the like: long, generated, and nothing a model should copy from a search result. */
const SKIPPED_FILES = new Set(['package-lock.json']);
const MAX_CODE_CHARS = 20_000;
/** Characters of code that go into a code template's embedding (names and the top of the file say most). */
const EMBEDDED_CODE_CHARS = 1_500;

const FRAMEWORK_RULES: Array<[RegExp, string]> = [
  [/^\.github\/workflows\//, 'github-actions'],
  [/(^|\/)(Dockerfile|docker-compose\.yml|\.dockerignore)$/, 'docker'],
  [/^fly\.toml$/, 'fly.io'],
  [/^render\.yaml$/, 'render'],
  [/^vite\.config\.ts$|^index\.html$/, 'vite'],
  [/^vitest\.config\.ts$|^tests\//, 'vitest'],
  [/^src\/client\//, 'react'],
  [/^src\/server\/db\//, 'sql.js'],
  [/^src\/server\//, 'express'],
  [/^src\/shared\//, 'zod'],
  [/^scripts\//, 'node'],
  [/\.md$/, 'markdown'],
  [/^(package\.json|\.npmrc)$/, 'npm'],
  [/^tsconfig\.json$/, 'typescript'],
  [/^biome\.json$/, 'biome'],
];

function frameworkOf(path: string): string {
  return FRAMEWORK_RULES.find(([pattern]) => pattern.test(path))?.[1] ?? 'config';
}

function kindOf(part: AppPart): Exclude<TemplateKind, 'project'> {
  return part === 'project' ? 'scaffold' : part;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Entity-specific path segments (`recipe`, `recipe-form.tsx`) → `[entity]`, so one template covers them all. */
function genericPath(path: string, spec: Spec): string {
  let generic = path;
  const names = spec.entities
    .flatMap((e) => [e.name, e.plural])
    .map((n) => n.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase())
    .sort((a, b) => b.length - a.length);
  for (const name of names) {
    generic = generic.replace(new RegExp(`(^|/)${name}(?=[/.-])`, 'g'), '$1[entity]');
  }
  return generic;
}

function pathWords(path: string): string {
  return path.replace(/[/._[\]-]+/g, ' ').trim();
}

export function representativeSpecs(): Array<{ archetype: Archetype; prompt: string; spec: Spec }> {
  return (Object.entries(REPRESENTATIVE_PROMPTS) as Array<[Archetype, string]>).map(
    ([archetype, prompt]) => ({
      archetype,
      prompt,
      spec: { ...parsePromptToSpec(prompt), archetype },
    }),
  );
}

function describeEntities(spec: Spec): string {
  return spec.entities
    .map(
      (e) =>
        `${e.label} (${e.fields.map((f) => `${f.name}: ${f.type}${f.target ? ` → ${f.target}` : ''}`).join(', ')})`,
    )
    .join('; ');
}

export function buildTemplateCatalog(): TemplateCatalog {
  const samples = representativeSpecs();
  const code = new Map<string, CatalogCodeTemplate>();
  const project: CatalogProjectTemplate[] = [];
  for (const { archetype, prompt, spec } of samples) {
    const files = new Map<string, string>();
    for (const part of APP_PARTS) {
      for (const [path, content] of renderAppPart(spec, part)) {
        files.set(path, content);
        if (SKIPPED_FILES.has(path) || content.length > MAX_CODE_CHARS) continue;
        const kind = kindOf(part);
        const generic = genericPath(path, spec);
        const name = `${kind}:${generic}`;
        if (code.has(name)) continue; // the first archetype that renders a kind of file provides it
        const framework = frameworkOf(path);
        const header = `${kind} ${framework} ${pathWords(generic)}`;
        // The header is repeated so that what the file is outweighs the vocabulary of its code.
        const text = `${header}\n${header}\n${header}\n${content.slice(0, EMBEDDED_CODE_CHARS)}`;
        code.set(name, {
          name,
          kind,
          framework,
          path: generic,
          code: content,
          text,
          sourceHash: sha256(`${name}\n${framework}\n${content}`),
        });
      }
    }
    const { api, pages } = describeApp(spec);
    const features = Object.entries(spec.features)
      .filter(([, on]) => on)
      .map(([feature]) => feature);
    const description =
      `${spec.description} Entities: ${describeEntities(spec)}. ` +
      `Features: ${features.join(', ') || 'none'}. Stack: Express 5 + zod + sql.js API, React 19 + Vite UI, vitest.`;
    const config = {
      archetype,
      prompt,
      appName: spec.appName,
      entities: spec.entities.map((e) => e.name),
      features: spec.features,
      api: api.map((e) => `${e.method} ${e.path}`),
      pages,
      files: [...files.keys()].sort(),
      spec,
    };
    const text = `${archetype} app: ${spec.appName}. ${prompt}. ${description} Pages: ${pages.join(', ')}.`;
    project.push({
      name: `${archetype}-app`,
      archetype,
      description,
      config,
      text,
      sourceHash: sha256(JSON.stringify({ description, config })),
    });
  }
  return { code: [...code.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), project };
}
