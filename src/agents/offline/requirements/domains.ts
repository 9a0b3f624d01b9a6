/**
 * Domains: a keyword-scored refinement of the archetypes ("tracker" may be habits, expenses or bugs).
 * A domain supplies the archetype, default entities, template variants and an app-name fallback.
 */
import type { Archetype } from '../../../core/domain/spec.js';

export interface Domain {
  key: string;
  archetype: Archetype;
  /** Catalog keys; the first is the primary entity. `Ticket#event` picks a template variant. */
  entities: readonly string[];
  appName: string;
  /** `word` or `two words`, optionally `:weight` (default 1, phrases 2). */
  triggers: readonly string[];
  /** Its entities are placeholders, used only when the prompt names none of its own. */
  weak?: boolean;
}

const d = (
  key: string,
  archetype: Archetype,
  entities: string,
  appName: string,
  triggers: string,
): Domain => ({
  key,
  archetype,
  entities: entities.split(' '),
  appName,
  triggers: triggers.split(',').map((t) => t.trim()),
});

/** Order breaks ties: more specific domains first. */
export const DOMAINS: readonly Domain[] = [
  d(
    'recipes',
    'recipes',
    'Recipe Ingredient Rating',
    'Recipe Book',
    'recipe:2, cooking, cookbook, dish, ingredient, meal',
  ),
  d('todo', 'todo', 'Task', 'Todo List', 'todo:2, task, chore, checklist, to do:2'),
  d('blog', 'blog', 'Post Comment Author', 'Blog', 'blog:3, blogging:2, article, blog post'),
  d('crm', 'crm', 'Contact Company Deal', 'CRM', 'crm:3, deal, lead, pipeline, prospect, sales pipeline'),
  d(
    'inventory',
    'inventory',
    'Product Supplier StockMovement',
    'Inventory',
    'inventory:3, stock, warehouse, supplier, sku',
  ),
  d('vet', 'booking', 'Pet Owner Appointment Vet', 'Vet Clinic', 'vet:2, veterinary:2, veterinarian:2, pet'),
  d(
    'gym',
    'booking',
    'GymClass Member Instructor Booking',
    'Gym Classes',
    'gym:2, fitness class, yoga, pilates, gym class',
  ),
  d('hotel', 'booking', 'Room Guest Booking', 'Hotel Bookings', 'hotel:2, hostel:2, bed and breakfast'),
  d(
    'restaurant',
    'booking',
    'Reservation',
    'Restaurant Reservations',
    'restaurant:2, diner, table reservation',
  ),
  d(
    'clinic',
    'booking',
    'Patient Appointment Doctor',
    'Clinic Appointments',
    'clinic, dentist, doctor, patient',
  ),
  d('salon', 'booking', 'Client Service Appointment', 'Appointments', 'salon:2, barber:2, spa, appointment'),
  d('rooms', 'booking', 'Room Booking', 'Room Booking', 'room, desk, meeting room'),
  d('booking', 'booking', 'Resource Booking', 'Bookings', 'booking, reservation, reserve'),
  d('habit', 'tracker', 'Habit CheckIn', 'Habit Tracker', 'habit:2, streak'),
  d('expense', 'tracker', 'Expense Category', 'Expense Tracker', 'expense:2, spending, expenditure'),
  d(
    'finance',
    'tracker',
    'Transaction Budget Category',
    'Budget',
    'finance, budget, transaction, budgeting, personal finance',
  ),
  d('bug', 'tracker', 'Bug Project', 'Bug Tracker', 'bug:2, bug tracker'),
  d('issue', 'tracker', 'Issue Project', 'Issue Tracker', 'issue, issue tracker'),
  d(
    'support',
    'tracker',
    'Ticket Customer Agent',
    'Support Desk',
    'support, helpdesk:2, help desk, ticket, support ticket',
  ),
  d('workout', 'tracker', 'Workout Exercise', 'Workout Log', 'workout:2, exercise, fitness, training'),
  d(
    'timesheet',
    'tracker',
    'TimeEntry Project',
    'Timesheet',
    'timesheet:2, time tracking, time entry, billable',
  ),
  d('journal', 'tracker', 'JournalEntry', 'Journal', 'journal, diary, mood'),
  d(
    'fleet',
    'tracker',
    'Vehicle ServiceRecord Driver',
    'Fleet Maintenance',
    'fleet:2, vehicle, maintenance, mileage',
  ),
  d('plant', 'tracker', 'Plant', 'Plant Care', 'plant, watering, garden'),
  d('attendance', 'tracker', 'Attendance Student Lesson', 'Attendance', 'attendance:2'),
  d('library', 'general', 'Book Member Loan', 'Library', 'library:2, borrow, loan, librarian, lend'),
  d(
    'school',
    'general',
    'Student Course Grade Teacher',
    'School Grades',
    'school, grade, gradebook, student, teacher, course',
  ),
  d(
    'jobs',
    'general',
    'Job Company Application',
    'Job Board',
    'job board, job, hiring, recruiting, recruitment, candidate, vacancy',
  ),
  d(
    'realestate',
    'general',
    'Listing Agent',
    'Property Listings',
    'real estate, realtor, listing, property, rental',
  ),
  d('podcast', 'general', 'Podcast Episode', 'Podcast', 'podcast:2, episode'),
  d('wedding', 'general', 'Guest Rsvp', 'Wedding RSVP', 'wedding:2, rsvp:2'),
  d(
    'events',
    'general',
    'CalendarEvent Ticket#event Attendee',
    'Event Tickets',
    'event, concert, festival, conference, ticketing, event ticket',
  ),
  d('volunteer', 'general', 'Volunteer Shift', 'Volunteer Shifts', 'volunteer:2, shift'),
  d(
    'feedback',
    'general',
    'FeatureRequest Vote',
    'Feedback Board',
    'feedback, feature request, roadmap, upvote',
  ),
  d('invoice', 'general', 'Client Invoice Project', 'Invoices', 'invoice, invoicing, billing, freelance'),
  d('notes', 'general', 'Note Tag', 'Notes', 'note, notebook, note taking'),
  d(
    'shop',
    'general',
    'Product Order Customer',
    'Shop',
    'shop, ecommerce, online store, order, cart, checkout',
  ),
  d('projects', 'todo', 'Project Task', 'Projects', 'project, project management'),
  // weak: "track …" alone says tracker, but anything more specific wins
  {
    ...d('tracker', 'tracker', 'Entry', 'Tracker', 'track:0.5, tracker:0.5, tracking:0.5, log:0.5'),
    weak: true,
  },
];

function triggerScore(trigger: string, words: ReadonlySet<string>, phraseText: string): number {
  const [phrase = '', weightText] = trigger.split(':');
  const isPhrase = phrase.includes(' ');
  const weight = weightText ? Number(weightText) : isPhrase ? 2 : 1;
  const hit = isPhrase ? phraseText.includes(` ${phrase} `) : words.has(phrase);
  return hit ? weight : 0;
}

/**
 * The best-scoring domain for the prompt's singular words, or undefined when nothing matches.
 * `phraseText` is the singular words joined by spaces, padded with a space at each end.
 */
export function detectDomain(singularWords: readonly string[]): Domain | undefined {
  const words = new Set(singularWords);
  const phraseText = ` ${singularWords.join(' ')} `;
  let best: Domain | undefined;
  let bestScore = 0;
  for (const domain of DOMAINS) {
    const score = domain.triggers.reduce((sum, t) => sum + triggerScore(t, words, phraseText), 0);
    if (score > bestScore) {
      best = domain;
      bestScore = score;
    }
  }
  return best;
}

/** Template key for an entity in a domain (a variant such as `Ticket#event`, or the name itself). */
export function templateKeyFor(domain: Domain | undefined, entity: string): string {
  return domain?.entities.find((key) => key === entity || key.startsWith(`${entity}#`)) ?? entity;
}
