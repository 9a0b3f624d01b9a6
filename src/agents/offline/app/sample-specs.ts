import { type Spec, SpecSchema } from '../../../core/domain/spec.js';

/**
 * Hand-written specs for tests and demos: `projectTracker` uses every field type, a reference and a
 * many-to-many relation, auth, and derived values (per project, per option, per month, a flag);
 * `recipeBox` is a small app without auth or search.
 */
export const projectTrackerSpec: Spec = SpecSchema.parse({
  appName: 'Project "Tracker" `${x}` </script><b>',
  slug: 'project-tracker',
  description: 'Track projects & their tasks — with "quotes", `backticks`, ${template} and </script> tags.',
  archetype: 'tracker',
  features: { auth: true, search: true, pagination: true, sorting: true },
  nonFunctional: ['Fast on mobile', 'Must not <script>alert(1)</script>'],
  entities: [
    {
      name: 'Project',
      plural: 'projects',
      label: 'Project',
      pluralLabel: 'Projects',
      displayField: 'name',
      fields: [
        { name: 'name', label: 'Name "quoted" ${x} `tick`', type: 'string', required: true, unique: true },
        { name: 'summary', label: 'Summary </script>', type: 'text', required: false },
        { name: 'budget', label: 'Budget', type: 'money', required: false },
        { name: 'website', label: 'Website', type: 'url', required: false },
        { name: 'ownerEmail', label: 'Owner email', type: 'email', required: true },
        { name: 'startsOn', label: 'Starts on', type: 'date', required: false },
      ],
    },
    {
      name: 'Task',
      plural: 'tasks',
      label: 'Task',
      pluralLabel: 'Tasks',
      displayField: 'title',
      fields: [
        { name: 'title', label: 'Title', type: 'string', required: true },
        { name: 'notes', label: 'Notes', type: 'text', required: false },
        {
          name: 'status',
          label: 'Status',
          type: 'enum',
          required: true,
          enumValues: ['todo', 'in-progress', 'done'],
        },
        { name: 'priority', label: 'Priority', type: 'integer', required: false },
        { name: 'estimateHours', label: 'Estimate (hours)', type: 'number', required: false },
        { name: 'done', label: 'Done', type: 'boolean', required: true },
        { name: 'dueAt', label: 'Due at', type: 'datetime', required: false },
        { name: 'project', label: 'Project', type: 'reference', target: 'Project', required: true },
        { name: 'blockedBy', label: 'Blocked by', type: 'references', target: 'Task', required: false },
        { name: 'watchers', label: 'Watchers', type: 'references', target: 'Project', required: false },
      ],
    },
  ],
  derived: [
    {
      kind: 'count',
      name: 'tasksPerProject',
      label: 'Tasks per project',
      entity: 'Task',
      per: { field: 'project' },
    },
    {
      kind: 'sum',
      name: 'hoursPerStatus',
      label: 'Estimated hours per status',
      entity: 'Task',
      field: 'estimateHours',
      per: { field: 'status' },
    },
    {
      kind: 'sum',
      name: 'budgetPerMonth',
      label: 'Budget starting per month',
      entity: 'Project',
      field: 'budget',
      per: { field: 'startsOn', period: 'month' },
    },
    {
      kind: 'average',
      name: 'averagePriority',
      label: 'Average priority',
      entity: 'Task',
      field: 'priority',
    },
    {
      kind: 'flag',
      name: 'overdue',
      label: 'Overdue',
      entity: 'Task',
      condition: { field: 'dueAt', op: '<', value: 'today' },
    },
  ],
});

export const recipeBoxSpec: Spec = SpecSchema.parse({
  appName: 'Recipe Box',
  slug: 'recipe-box',
  description: 'Keep recipes and their ingredients.',
  archetype: 'recipes',
  features: { auth: false, search: false, pagination: true, sorting: true },
  nonFunctional: [],
  entities: [
    {
      name: 'Ingredient',
      plural: 'ingredients',
      label: 'Ingredient',
      pluralLabel: 'Ingredients',
      displayField: 'name',
      fields: [
        { name: 'name', label: 'Name', type: 'string', required: true, unique: true },
        { name: 'vegan', label: 'Vegan', type: 'boolean', required: false },
      ],
    },
    {
      name: 'Recipe',
      plural: 'recipes',
      label: 'Recipe',
      pluralLabel: 'Recipes',
      displayField: 'title',
      fields: [
        { name: 'title', label: 'Title', type: 'string', required: true },
        { name: 'servings', label: 'Servings', type: 'integer', required: true },
        {
          name: 'ingredients',
          label: 'Ingredients',
          type: 'references',
          target: 'Ingredient',
          required: true,
        },
        {
          name: 'course',
          label: 'Course',
          type: 'enum',
          required: false,
          enumValues: ['starter', 'main', 'dessert'],
        },
      ],
    },
  ],
});
