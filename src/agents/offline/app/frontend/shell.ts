import { lines, tsString } from '../code.js';
import type { AppModel, EntityModel } from '../model.js';

/** Per-entity page and API module, the app shell and, with auth, the sign-in screen. */

export function renderEntityApi(entity: EntityModel): string {
  return lines(
    `import type { ${entity.name}, ${entity.name}Input } from '../../shared/entities/${entity.kebab}';`,
    "import { createResourceApi } from '../lib/api-client';",
    '',
    `export const ${entity.camel}Api = createResourceApi<${entity.name}, ${entity.name}Input>('${entity.route}');`,
    '',
  );
}

export function renderEntityPage(entity: EntityModel): string {
  const { name, camel, kebab } = entity;
  return lines(
    "import { useState } from 'react';",
    `import { type ${name}, ${camel}Labels } from '../../../shared/entities/${kebab}';`,
    `import { ${name}Form } from './${kebab}-form';`,
    `import { ${name}List } from './${kebab}-list';`,
    '',
    '/** `creating` opens the page with the new-record form showing (the home page\'s "New" buttons). */',
    `export function ${name}Page({ creating = false }: { creating?: boolean }) {`,
    `  const [editing, setEditing] = useState<${name} | 'new' | null>(creating ? 'new' : null);`,
    '  const [version, setVersion] = useState(0);',
    '',
    '  const handleSaved = () => {',
    '    setEditing(null);',
    '    setVersion((current) => current + 1);',
    '  };',
    '',
    '  return (',
    '    <section>',
    '      <div className="toolbar">',
    `        <h2>{${camel}Labels.plural}</h2>`,
    '        <button type="button" className="primary" onClick={() => setEditing(\'new\')}>',
    `          New {${camel}Labels.singular}`,
    '        </button>',
    '      </div>',
    '      {editing !== null && (',
    `        <${name}Form`,
    "          key={editing === 'new' ? 'new' : editing.id}",
    "          initial={editing === 'new' ? undefined : editing}",
    '          onSaved={handleSaved}',
    '          onCancel={() => setEditing(null)}',
    '        />',
    '      )}',
    `      <${name}List version={version} onEdit={setEditing} />`,
    '    </section>',
    '  );',
    '}',
    '',
  );
}

export function renderAppTsx(model: AppModel): string {
  const auth = model.features.auth;
  const sorted = [...model.entities].sort((a, b) => (a.kebab < b.kebab ? -1 : 1));
  return lines(
    auth ? "import { useEffect, useState } from 'react';" : "import { useState } from 'react';",
    auth && "import { clearToken, getToken, onTokenChange } from './auth/session';",
    auth && "import { SignIn } from './auth/sign-in';",
    ...sorted.map((e) => `import { ${e.name}Page } from './entities/${e.kebab}/${e.kebab}-page';`),
    ...sorted.map((e) => `import { ${e.camel}Labels } from '../shared/entities/${e.kebab}';`),
    "import { HomePage } from './home';",
    '',
    `export const APP_NAME = ${tsString(model.appName)};`,
    '',
    'const SECTIONS = [',
    ...model.entities.map(
      (e) => `  { key: '${e.plural}', label: ${e.camel}Labels.plural, Page: ${e.name}Page },`,
    ),
    '] as const;',
    '',
    "type SectionKey = (typeof SECTIONS)[number]['key'];",
    '',
    'export function App() {',
    '  // null is the home page.',
    '  const [active, setActive] = useState<SectionKey | null>(null);',
    '  const [creating, setCreating] = useState(false);',
    auth && '  const [signedIn, setSignedIn] = useState(() => getToken() !== null);',
    auth && '',
    auth && '  useEffect(() => onTokenChange(() => setSignedIn(getToken() !== null)), []);',
    auth && '',
    auth && '  if (!signedIn) return <SignIn appName={APP_NAME} />;',
    '  const section = SECTIONS.find((candidate) => candidate.key === active);',
    '  const open = (key: SectionKey | null, withForm = false) => {',
    '    setActive(key);',
    '    setCreating(withForm);',
    '  };',
    '',
    '  return (',
    '    <>',
    '      <header className="app-header">',
    '        <h1>{APP_NAME}</h1>',
    '        <nav aria-label="Sections">',
    '          <button type="button" aria-current={active === null ? \'page\' : undefined} onClick={() => open(null)}>',
    '            Home',
    '          </button>',
    '          {SECTIONS.map((candidate) => (',
    '            <button',
    '              key={candidate.key}',
    '              type="button"',
    "              aria-current={candidate.key === active ? 'page' : undefined}",
    '              onClick={() => open(candidate.key)}',
    '            >',
    '              {candidate.label}',
    '            </button>',
    '          ))}',
    '        </nav>',
    auth && '        <button type="button" onClick={clearToken}>',
    auth && '          Sign out',
    auth && '        </button>',
    '      </header>',
    '      <main>',
    '        {section ? <section.Page key={section.key} creating={creating} /> : <HomePage onOpen={open} />}',
    '      </main>',
    '    </>',
    '  );',
    '}',
    '',
  );
}

export const MAIN_TSX = `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
`;

export function renderSessionTs(model: AppModel): string {
  return `/** The bearer token of the signed-in user, kept in localStorage; listeners hear sign-in and sign-out. */
const STORAGE_KEY = '${model.slug}.session';
const listeners = new Set<() => void>();

export function getToken(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

export function setToken(token: string): void {
  localStorage.setItem(STORAGE_KEY, token);
  notify();
}

export function clearToken(): void {
  localStorage.removeItem(STORAGE_KEY);
  notify();
}

/** Subscribes to token changes; returns the unsubscribe function. */
export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function notify(): void {
  for (const listener of listeners) listener();
}
`;
}

export const SIGN_IN_TSX = `import { type FormEvent, useState } from 'react';
import { errorMessage, request } from '../lib/api-client';
import { ErrorBanner, FormField } from '../components/ui';
import { type FieldErrors, fieldErrors } from '../lib/form-values';
import { type AuthSession, credentialsSchema } from '../../shared/auth';
import { setToken } from './session';

export function SignIn({ appName }: { appName: string }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const parsed = credentialsSchema.safeParse({ email, password });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      const session = await request<AuthSession>(\`/api/auth/\${mode}\`, {
        method: 'POST',
        body: JSON.stringify(parsed.data),
      });
      setToken(session.token);
    } catch (error) {
      setFormError(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <main>
      <h1>{appName}</h1>
      <form className="entity-form" aria-label="Sign in" noValidate onSubmit={handleSubmit}>
        <FormField id="auth-email" label="Email" error={errors.email}>
          <input
            id="auth-email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            required
          />
        </FormField>
        <FormField id="auth-password" label="Password" error={errors.password}>
          <input
            id="auth-password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
        </FormField>
        {formError !== null && <ErrorBanner message={formError} />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={submitting}>
            {mode === 'login' ? 'Sign in' : 'Create account'}
          </button>
          <button type="button" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
            {mode === 'login' ? 'Need an account?' : 'Have an account? Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
`;
