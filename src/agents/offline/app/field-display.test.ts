import { describe, expect, it } from '@jest/globals';
import { type Spec, SpecSchema } from '../../../core/domain/spec.js';
import { renderApp } from './index.js';
import { buildModel } from './model.js';
import { recipeBoxSpec } from './sample-specs.js';

/** The recipe box plus reviews: a star rating, a 0-10 score, a price in euros and an enum. */
const reviewedSpec: Spec = SpecSchema.parse({
  ...recipeBoxSpec,
  entities: [
    ...recipeBoxSpec.entities,
    {
      name: 'Review',
      plural: 'reviews',
      label: 'Review',
      pluralLabel: 'Reviews',
      displayField: 'stars',
      fields: [
        { name: 'stars', label: 'Stars', type: 'integer', required: true, min: 1, max: 5 },
        { name: 'score', label: 'Score', type: 'integer', required: false, min: 0, max: 10 },
        { name: 'price', label: 'Price (€)', type: 'money', required: false },
        { name: 'kind', label: 'Kind', type: 'enum', required: true, enumValues: ['quick', 'slow'] },
      ],
    },
  ],
});

describe('fields shown by meaning', () => {
  it('treats bounded integers named like ratings as stars, and nothing else', () => {
    const model = buildModel(reviewedSpec);
    const fields = new Map(model.entity('Review').fields.map((field) => [field.name, field]));
    expect(fields.get('stars')?.rating).toBe(true);
    expect(fields.get('score')?.rating).toBe(true);
    expect(model.entity('Recipe').fields.find((field) => field.name === 'servings')?.rating).toBe(false);
    const unbounded = SpecSchema.parse({
      ...reviewedSpec,
      entities: [
        {
          ...reviewedSpec.entities[2],
          displayField: 'rating',
          fields: [{ name: 'rating', label: 'Rating', type: 'integer', required: true, min: 0, max: 100 }],
        },
      ],
    });
    expect(buildModel(unbounded).entity('Review').fields[0]?.rating).toBe(false);
  });

  it('picks stars in the form and shows them in the list', () => {
    const files = renderApp(reviewedSpec);
    const form = files.get('src/client/entities/review/review-form.tsx') ?? '';
    const list = files.get('src/client/entities/review/review-list.tsx') ?? '';
    expect(form).toContain('<StarRating');
    expect(form).toMatch(/min=\{1\}\s+max=\{5\}/);
    expect(list).toContain('<Stars value={review.stars} max={5} />');
    expect(files.get('src/client/entities/recipe/recipe-form.tsx')).not.toContain('StarRating');
    expect(files.get('tests/entities/review.ui.test.tsx')).toContain(
      "within(stars).getByRole('radio', { name: '4 stars' })",
    );
  });

  it('formats money in the user locale, in the currency its label names, and enums as badges', () => {
    const list = renderApp(reviewedSpec).get('src/client/entities/review/review-list.tsx') ?? '';
    expect(list).toContain("formatMoney(review.price, 'EUR')");
    expect(list).toContain('<span className="badge">{review.kind}</span>');
    const recipes = renderApp(reviewedSpec).get('src/client/entities/recipe/recipe-list.tsx') ?? '';
    expect(recipes).toContain('{recipe.course !== null && <span className="badge">{recipe.course}</span>}');
  });

  it('opens on a home page with counts, the newest records and empty states', () => {
    const files = renderApp(reviewedSpec);
    const home = files.get('src/client/home.tsx') ?? '';
    expect(home).toContain('yet — add the first one.');
    for (const kebab of ['ingredient', 'recipe', 'review']) expect(home).toContain(`id="home-${kebab}"`);
    const app = files.get('src/client/app.tsx') ?? '';
    expect(app).toContain('useState<SectionKey | null>(null)');
    expect(app).toContain('<HomePage onOpen={open} />');
    expect(files.has('tests/ui/home.test.tsx')).toBe(true);
  });
});
