/** Prompt text → a valid Spec, deterministically and without a model. */
import { SpecSchema, type Spec } from '../../../core/domain/spec.js';
import { toEntities } from './assemble.js';
import { buildDraft } from './build-draft.js';
import { readDerivedValues } from './derived-values.js';
import { appNameFor, describeSpec, featuresFor, nonFunctionalFor, slugFor } from './describe.js';
import { detectDomain } from './domains.js';
import { readPrompt } from './grammar.js';
import { foldMisspelledEntities } from './misspelled-entities.js';
import { normalizeText, toSentences } from './text.js';

/** The spec for a prompt nobody could read: one Item entity, valid by construction. */
export function fallbackSpec(): Spec {
  return SpecSchema.parse({
    appName: 'My App',
    slug: 'my-app',
    description: 'My App: a web app to manage items.',
    archetype: 'general',
    entities: [
      {
        name: 'Item',
        plural: 'items',
        label: 'Item',
        pluralLabel: 'Items',
        displayField: 'name',
        fields: [
          { name: 'name', label: 'Name', type: 'string', required: true },
          { name: 'description', label: 'Description', type: 'text', required: false },
        ],
      },
    ],
    features: { auth: false, search: true, pagination: true, sorting: true },
    nonFunctional: [],
  });
}

/** Like parsePromptToSpec but lets errors through: for tests that must see a rule fail. */
export function buildSpec(prompt: string): Spec {
  const text = normalizeText(prompt);
  const sentences = toSentences(text);
  const reading = readPrompt(sentences);
  const domain = detectDomain(sentences.flat().map((t) => t.s));
  const { entities: drafts } = buildDraft(foldMisspelledEntities(reading.facts), domain);
  const entities = toEntities(drafts);
  const appName = appNameFor({
    text,
    topicWords: reading.topicWords,
    appWord: reading.appWord,
    domain,
    entities,
  });
  const features = featuresFor(text, entities);
  return SpecSchema.parse({
    appName,
    slug: slugFor(appName),
    description: describeSpec(appName, entities, features),
    archetype: domain?.archetype ?? 'general',
    entities,
    features,
    nonFunctional: nonFunctionalFor(text),
    derived: readDerivedValues(sentences, entities),
  });
}

/**
 * Always returns a Spec valid under SpecSchema. Rules that fail on some odd input fall back to the
 * minimal spec rather than throwing: a prompt is untrusted text and must never crash the pipeline.
 */
export function parsePromptToSpec(prompt: string): Spec {
  try {
    return buildSpec(typeof prompt === 'string' ? prompt : '');
  } catch {
    return fallbackSpec();
  }
}
