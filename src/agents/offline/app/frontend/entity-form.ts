import { Imports, indent, lines, tsString } from '../code.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';

/** `src/client/entities/<entity>/<entity>-form.tsx`: create / edit form with zod validation. */
export function renderEntityForm(model: AppModel, entity: EntityModel): string {
  const { name, camel, kebab } = entity;
  const imports = new Imports()
    .add('react', 'useState')
    .addType('react', 'FormEvent')
    .add(`../../api/${kebab}`, `${camel}Api`)
    .add('../../lib/api-client', 'ApiError', 'errorMessage')
    .add('../../components/ui', 'ErrorBanner', 'FormField')
    .add('../../lib/form-values', 'fieldErrors')
    .addType('../../lib/form-values', 'FieldErrors')
    .add(`../../../shared/entities/${kebab}`, `${camel}InputSchema`, `${camel}Labels`)
    .addType(`../../../shared/entities/${kebab}`, name);
  for (const field of entity.fields) {
    for (const helper of helpersOf(field)) imports.add('../../lib/form-values', helper);
    if (field.type === 'enum') imports.add(`../../../shared/entities/${kebab}`, `${field.constant}_VALUES`);
    if (field.rating) imports.add('../../components/ui', 'StarRating');
  }
  if (entity.relationFields.length > 0) imports.add('../../hooks/use-page', 'useOptions');
  for (const targetName of entity.targets) {
    const target = model.entity(targetName);
    imports.add(`../../api/${target.kebab}`, `${target.camel}Api`);
    imports.add(`../../../shared/entities/${target.kebab}`, `${target.camel}Title`);
  }
  const values = `${name}FormValues`;
  return lines(
    ...imports.render(),
    '',
    `interface ${values} {`,
    ...entity.fields.map((field) => `  ${field.name}: ${valueType(field)};`),
    '}',
    '',
    `const EMPTY: ${values} = {`,
    ...entity.fields.map((field) => `  ${field.name}: ${emptyValue(field)},`),
    '};',
    '',
    `function toValues(${camel}: ${name}): ${values} {`,
    '  return {',
    ...entity.fields.map((field) => `    ${field.name}: ${toValue(field, `${camel}.${field.name}`)},`),
    '  };',
    '}',
    '',
    '/** Form values -> API input; the schema then decides what is valid. */',
    `function toInput(values: ${values}): Record<keyof ${values}, unknown> {`,
    '  return {',
    ...entity.fields.map((field) => `    ${field.name}: ${toInputValue(field, `values.${field.name}`)},`),
    '  };',
    '}',
    '',
    `export interface ${name}FormProps {`,
    `  initial?: ${name};`,
    `  onSaved: (${camel}: ${name}) => void;`,
    '  onCancel: () => void;',
    '}',
    '',
    `export function ${name}Form({ initial, onSaved, onCancel }: ${name}FormProps) {`,
    `  const [values, setValues] = useState<${values}>(() => (initial ? toValues(initial) : EMPTY));`,
    '  const [errors, setErrors] = useState<FieldErrors>({});',
    '  const [formError, setFormError] = useState<string | null>(null);',
    '  const [submitting, setSubmitting] = useState(false);',
    ...entity.targets.map((targetName) => {
      const target = model.entity(targetName);
      return `  const ${target.camel}Options = useOptions(${target.camel}Api, ${target.camel}Title);`;
    }),
    '',
    `  const set = <K extends keyof ${values}>(key: K, value: ${values}[K]) => {`,
    '    setValues((current) => ({ ...current, [key]: value }));',
    '  };',
    `  const control = (key: keyof ${values}) => ({`,
    `    id: \`${kebab}-\${key}\`,`,
    "    'aria-invalid': errors[key] !== undefined,",
    `    'aria-describedby': errors[key] === undefined ? undefined : \`${kebab}-\${key}-error\`,`,
    '  });',
    '',
    '  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {',
    '    event.preventDefault();',
    '    setFormError(null);',
    `    const parsed = ${camel}InputSchema.safeParse(toInput(values));`,
    '    if (!parsed.success) {',
    '      setErrors(fieldErrors(parsed.error.issues));',
    '      return;',
    '    }',
    '    setErrors({});',
    '    setSubmitting(true);',
    '    try {',
    `      onSaved(initial ? await ${camel}Api.update(initial.id, parsed.data) : await ${camel}Api.create(parsed.data));`,
    '    } catch (error) {',
    '      if (error instanceof ApiError) setErrors(fieldErrors(error.issues));',
    '      setFormError(errorMessage(error));',
    '    } finally {',
    '      setSubmitting(false);',
    '    }',
    '  };',
    '',
    '  return (',
    `    <form className="entity-form" aria-label={${camel}Labels.singular} noValidate onSubmit={handleSubmit}>`,
    ...entity.fields.map((field) => indent(fieldControl(model, entity, field), 3)),
    '      {formError !== null && <ErrorBanner message={formError} />}',
    '      <div className="form-actions">',
    '        <button type="submit" className="primary" disabled={submitting}>',
    "          {initial ? 'Save' : 'Create'}",
    '        </button>',
    '        <button type="button" onClick={onCancel}>',
    '          Cancel',
    '        </button>',
    '      </div>',
    '    </form>',
    '  );',
    '}',
    '',
  );
}

function helpersOf(field: FieldModel): string[] {
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'money':
    case 'reference':
      return ['numberText', 'parseNumber'];
    case 'datetime':
      return ['fromDateTimeLocal', 'toDateTimeLocal'];
    case 'boolean':
    case 'references':
      return [];
    default:
      return field.required && field.type !== 'enum' && field.type !== 'date' ? [] : ['emptyToNull'];
  }
}

function valueType(field: FieldModel): string {
  if (field.type === 'boolean') return 'boolean';
  if (field.type === 'references') return 'string[]';
  return 'string';
}

function emptyValue(field: FieldModel): string {
  if (field.type === 'boolean') return 'false';
  if (field.type === 'references') return '[]';
  if (field.type === 'enum' && field.required) return tsString(field.enumValues[0] ?? '');
  return "''";
}

function toValue(field: FieldModel, value: string): string {
  switch (field.type) {
    case 'boolean':
      return field.required ? value : `${value} ?? false`;
    case 'references':
      return `${value}.map(String)`;
    case 'integer':
    case 'number':
    case 'money':
    case 'reference':
      return `numberText(${value})`;
    case 'datetime':
      return `toDateTimeLocal(${value})`;
    default:
      return field.required ? value : `${value} ?? ''`;
  }
}

function toInputValue(field: FieldModel, value: string): string {
  switch (field.type) {
    case 'boolean':
      return value;
    case 'references':
      return `${value}.map(Number)`;
    case 'integer':
    case 'number':
    case 'money':
    case 'reference':
      return `parseNumber(${value})`;
    case 'datetime':
      return `fromDateTimeLocal(${value})`;
    default:
      return field.required && field.type !== 'enum' && field.type !== 'date'
        ? value
        : `emptyToNull(${value})`;
  }
}

/** The browser's own range hint; the zod schema is what enforces it. */
function bounds(field: FieldModel): string {
  return `${field.min === undefined ? '' : ` min={${field.min}}`}${field.max === undefined ? '' : ` max={${field.max}}`}`;
}

function fieldControl(model: AppModel, entity: EntityModel, field: FieldModel): string {
  const key = field.name;
  const open = `<FormField id={\`${entity.kebab}-${key}\`} label={${entity.camel}Labels.fields.${key}} error={errors.${key}}>`;
  return lines(open, indent(control(model, entity, field)), '</FormField>');
}

function control(model: AppModel, entity: EntityModel, field: FieldModel): string {
  const key = field.name;
  const required = field.required && field.type !== 'boolean' ? ' required' : '';
  const text = (type: string, extra = ''): string =>
    lines(
      '<input',
      `  {...control('${key}')}`,
      `  type="${type}"${extra}`,
      `  value={values.${key}}`,
      `  onChange={(event) => set('${key}', event.target.value)}`,
      required && `  required`,
      '/>',
    );
  switch (field.type) {
    case 'string':
      return text('text', ' maxLength={200}');
    case 'email':
      return text('email', ' maxLength={254}');
    case 'url':
      return text('url', ' maxLength={2048}');
    case 'integer':
      if (field.rating)
        return lines(
          '<StarRating',
          `  {...control('${key}')}`,
          `  min={${field.min}}`,
          `  max={${field.max}}`,
          `  value={values.${key}}`,
          `  onChange={(value) => set('${key}', value)}`,
          required && `  required`,
          '/>',
        );
      return text('number', ` step="1" inputMode="numeric"${bounds(field)}`);
    case 'number':
      return text('number', ` step="any"${bounds(field)}`);
    case 'money':
      return text('number', ` step="0.01" inputMode="decimal"${bounds(field)}`);
    case 'date':
      return text('date');
    case 'datetime':
      return text('datetime-local');
    case 'text':
      return lines(
        '<textarea',
        `  {...control('${key}')}`,
        '  rows={4}',
        '  maxLength={10000}',
        `  value={values.${key}}`,
        `  onChange={(event) => set('${key}', event.target.value)}`,
        required && `  required`,
        '/>',
      );
    case 'boolean':
      return lines(
        '<input',
        `  {...control('${key}')}`,
        '  type="checkbox"',
        `  checked={values.${key}}`,
        `  onChange={(event) => set('${key}', event.target.checked)}`,
        '/>',
      );
    case 'enum':
      return lines(
        `<select {...control('${key}')} value={values.${key}} onChange={(event) => set('${key}', event.target.value)}${required}>`,
        !field.required && '  <option value="">—</option>',
        `  {${field.constant}_VALUES.map((value) => (`,
        '    <option key={value} value={value}>',
        '      {value}',
        '    </option>',
        '  ))}',
        '</select>',
      );
    case 'reference':
    case 'references': {
      const options = `${model.entity(field.target ?? entity.specName).camel}Options`;
      const many = field.type === 'references';
      return lines(
        '<select',
        `  {...control('${key}')}`,
        many && '  multiple',
        `  value={values.${key}}`,
        many
          ? `  onChange={(event) => set('${key}', Array.from(event.target.selectedOptions, (option) => option.value))}`
          : `  onChange={(event) => set('${key}', event.target.value)}`,
        required && `  required`,
        '>',
        !many && `  <option value="">Choose…</option>`,
        `  {${options}.map((option) => (`,
        '    <option key={option.id} value={String(option.id)}>',
        '      {option.label}',
        '    </option>',
        '  ))}',
        '</select>',
      );
    }
  }
}
