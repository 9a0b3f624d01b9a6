/**
 * Entity templates a person would expect behind common nouns, in a compact notation:
 *   `Name [alias alias]: field!, field*:type, ref>Target, refs>>Target, @parent`
 * `!` required, `*` unique, `type=a|b` enum values, `@parent` a link to the entity it belongs to.
 * References whose target is not in the final spec are dropped, so templates can mention neighbours.
 */
import type { FieldType } from '../../../core/domain/spec.js';
import { field, type EntityDraft, type FieldDraft } from './draft.js';

const PERSON = 'name!, email:email, phone';

const CATALOG_TEXT = `
Task [todo chore]: title!, notes:text, done:bool, dueDate:date, priority:enum=low|medium|high, project>Project, tags>>Tag
Tag: name!*, color
Project: name!, description:text, status:enum=planned|active|completed|on_hold, dueDate:date, client>Client
Post [article]: title!, body:text!, published:bool, publishedAt:dt, author>Author, tags>>Tag
Comment: @parent, body:text!, authorName
Author [writer]: name!, email:email, bio:text
Contact: name!, email:email, phone, jobTitle, company>Company, notes:text
Company [organization organisation employer]: name!, website:url, industry, phone, address
Deal [opportunity]: title!, amount:money, stage:enum=lead|qualified|proposal|won|lost, closeDate:date, contact>Contact, company>Company
Lead [prospect]: ${PERSON}, source, status:enum=new|contacted|qualified|lost
Product: name!, sku*, description:text, price:money, quantity:int, supplier>Supplier
Supplier [vendor]: ${PERSON}, address
StockMovement: product>Product!, kind:enum=in|out|adjustment, quantity:int!, date:date!, note
Resource: name!, description:text, location, capacity:int
Room: name!, capacity:int, location, notes:text
Booking: @parent, bookedBy!, startsAt:dt!, endsAt:dt!, status:enum=pending|confirmed|cancelled, notes:text, guest>Guest, member>Member
Reservation: @parent, name!, partySize:int, reservedAt:dt!, status:enum=pending|confirmed|cancelled, notes:text, customer>Customer
Guest [invitee]: ${PERSON}
Pet [animal]: name!, species, breed, birthDate:date, owner>Owner
Owner: ${PERSON}, address
Vet [veterinarian]: ${PERSON}, specialty
Doctor [physician dentist therapist]: ${PERSON}, specialty
Appointment: reason!, startsAt:dt!, durationMinutes:int, status:enum=scheduled|completed|cancelled|no_show, notes:text, pet>Pet, vet>Vet, patient>Patient, doctor>Doctor, client>Client, service>Service
Client: ${PERSON}, company
Customer [buyer]: ${PERSON}, address
Patient: name!, dateOfBirth:date, email:email, phone
Member: ${PERSON}, joinedOn:date, active:bool
TeamMember: name!, email:email, role
Employee: name!, email:email, department, jobTitle, startDate:date
GymClass: name!, startsAt:dt!, durationMinutes:int, capacity:int, instructor>Instructor
Instructor [trainer coach]: ${PERSON}, bio:text
Habit: name!, description:text, frequency:enum=daily|weekly|monthly, active:bool
CheckIn [checkin]: habit>Habit!, date:date!, done:bool, note
Expense [expenditure]: description!, amount:money!, date:date!, category>Category, notes:text
Category: name!*, color
Budget: name!, amount:money!, startDate:date, endDate:date, category>Category
Transaction: description!, amount:money!, date:date!, kind:enum=income|expense, category>Category, account>Account
Account: name!, institution, balance:money
Bug: title!, description:text, severity:enum=low|medium|high|critical, status:enum=open|in_progress|resolved|closed, reportedBy, project>Project
Issue: title!, description:text, priority:enum=low|medium|high, status:enum=open|in_progress|closed, project>Project
Ticket: subject!, description:text, priority:enum=low|medium|high, status:enum=open|in_progress|closed, customer>Customer, agent>Agent
Ticket#event: @parent, holderName!, seatNumber, price:money, purchasedAt:dt, attendee>Attendee
Agent: ${PERSON}
Workout: name!, date:date!, durationMinutes:int, notes:text
Exercise: @parent, name!, sets:int, reps:int, weight:num
TimeEntry: description!, date:date!, hours:num!, billable:bool, project>Project
JournalEntry [journal diary]: title!, date:date!, mood:enum=great|good|okay|bad|awful, body:text
Entry: name!, value:num, date:date!, notes:text
Vehicle [car truck van]: name!, make, model, year:int, licensePlate*, mileage:int
ServiceRecord [maintenance]: vehicle>Vehicle, description!, date:date!, mileage:int, cost:money, notes:text
Driver: ${PERSON}, licenseNumber, vehicle>Vehicle
Plant: name!, species, location, wateringEveryDays:int, lastWateredOn:date, notes:text
Attendance: @parent, student>Student!, date:date!, status:enum=present|absent|late|excused, note
Student [pupil]: name!, email:email, enrolledOn:date
Lesson: title!, date:date!, course>Course, teacher>Teacher
Course: name!, code, description:text, teacher>Teacher
Grade: student>Student!, course>Course!, score:num!, letter, gradedOn:date, comment:text
Teacher: ${PERSON}, subject
Recipe [dish meal]: title!, description:text, instructions:text, prepTimeMinutes:int, servings:int, difficulty:enum=easy|medium|hard
Ingredient: @parent, name!, quantity
Rating: @parent!, score:int!, comment:text, raterName
Review: @parent!, rating:int!, body:text, reviewerName
Vote: @parent!, value:int!, voterName
Book: title!, author, isbn*, publishedOn:date, available:bool
Loan: book>Book!, member>Member!, borrowedOn:date!, dueOn:date!, returnedOn:date
Job [vacancy opening]: title!, description:text, location, salary:money, kind:enum=full_time|part_time|contract, closesOn:date, company>Company
Application: @parent!, applicantName!, email:email, resume:url, status:enum=submitted|reviewing|interview|offer|rejected, coverLetter:text, candidate>Candidate
Candidate [applicant]: ${PERSON}, resume:url
Listing [property house apartment]: title!, description:text, price:money!, address, bedrooms:int, bathrooms:int, areaSqft:num, status:enum=available|under_offer|sold, agent>Agent
Podcast [show]: title!, description:text, host, coverImage:url
Episode: @parent, title!, description:text, audioUrl:url, publishedOn:date, durationMinutes:int
Rsvp: name!, guest>Guest, attending:bool, mealChoice, plusOnes:int, message:text
CalendarEvent: title!, description:text, startsAt:dt!, endsAt:dt, venue, capacity:int
Attendee: ${PERSON}
Volunteer: ${PERSON}, skills:text
Shift: title!, startsAt:dt!, endsAt:dt!, location, volunteersNeeded:int, volunteers>>Volunteer
FeatureRequest: title!, description:text, status:enum=open|planned|in_progress|done|declined, customer>Customer
Invoice: number!*, issuedOn:date!, dueOn:date, amount:money!, paid:bool, client>Client, project>Project
Note: title!, body:text, pinned:bool, tags>>Tag
Order: orderNumber!*, orderedAt:dt!, status:enum=pending|paid|shipped|delivered|cancelled, total:money, customer>Customer
Photo [image picture]: @parent, url:url!, caption
Person: ${PERSON}, birthday:date
Item: name!, description:text
Dog: name!, breed, birthDate:date, owner>Owner, client>Client
Walk: dog>Dog, date:date!, durationMinutes:int, price:money, notes:text
MenuItem: name!, description:text, price:money!, category>Category, available:bool
PurchaseOrder: orderNumber!*, orderedOn:date!, status:enum=draft|sent|received|cancelled, total:money, supplier>Supplier
Service: name!, description:text, price:money, durationMinutes:int
Team: name!, description:text
Enrollment: @parent!, student>Student, enrolledOn:date!, status:enum=active|completed|dropped
Bid: @parent!, bidderName!, amount:money!, placedAt:dt
Goal: title!, targetDate:date, progress:num, done:bool
`;

/** Nouns for people: an unknown one gets contact fields rather than a bare name. */
export const PERSON_NOUNS: ReadonlySet<string> = new Set(
  `member customer client patient student employee guest owner contact author attendee driver instructor
  teacher coach trainer person player volunteer agent tenant landlord candidate applicant doctor vet
  speaker host participant subscriber reader parent kid child friend organizer organiser seller buyer
  manager worker staff nurse mentor mentee athlete artist musician donor sponsor partner lead resident
  visitor traveler traveller passenger rider courier technician contractor freelancer user admin`
    .split(/\s+/)
    .filter(Boolean),
);

const TYPES: Readonly<Record<string, FieldType>> = {
  str: 'string',
  text: 'text',
  int: 'integer',
  num: 'number',
  money: 'money',
  bool: 'boolean',
  date: 'date',
  dt: 'datetime',
  email: 'email',
  url: 'url',
  enum: 'enum',
};

export interface EntityTemplate {
  name: string;
  fields: readonly FieldDraft[];
  wantsParent: boolean;
  parentRequired: boolean;
}

function parseField(spec: string): FieldDraft | 'parent' | 'parent!' {
  if (spec.startsWith('@parent')) return spec.endsWith('!') ? 'parent!' : 'parent';
  const ref = /^(\w+)(!?)(>>?)(\w+)(!?)$/.exec(spec);
  if (ref) {
    const [, name = '', bang, arrows, target, trailingBang] = ref;
    const required = bang === '!' || trailingBang === '!';
    return field(name, arrows === '>>' ? 'references' : 'reference', { target, required });
  }
  const flags = spec.replace(/=.*$/, '');
  const [name = '', typeSpec = 'str'] = spec.replace(/[!*]/g, '').split(':');
  const [typeName = 'str', values] = typeSpec.split('=');
  return field(name, TYPES[typeName] ?? 'string', {
    required: flags.includes('!'),
    unique: flags.includes('*'),
    ...(values ? { enumValues: values.split('|') } : {}),
  });
}

/** Templates by key ("Ticket" or a variant "Ticket#event") plus an alias → entity name map. */
function parseCatalog(text: string): {
  templates: Map<string, EntityTemplate>;
  aliases: Map<string, string>;
} {
  const templates = new Map<string, EntityTemplate>();
  const aliases = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([\w#]+)(?: \[([^\]]*)\])?: (.+)$/.exec(line.trim());
    if (!match) continue;
    const [, key = '', aliasText, fieldText = ''] = match;
    const name = key.split('#')[0] ?? key;
    const parsed = fieldText.split(',').map((s) => parseField(s.trim()));
    templates.set(key, {
      name,
      fields: parsed.filter((f): f is FieldDraft => typeof f !== 'string'),
      wantsParent: parsed.some((f) => typeof f === 'string'),
      parentRequired: parsed.includes('parent!'),
    });
    for (const alias of aliasText?.split(' ') ?? []) if (alias) aliases.set(alias, name);
  }
  return { templates, aliases };
}

const { templates: TEMPLATES, aliases: ALIASES } = parseCatalog(CATALOG_TEXT);

export function findTemplate(key: string): EntityTemplate | undefined {
  return TEMPLATES.get(key);
}

/** Catalog entity name for a singular lower-case noun or alias ("dish" → Recipe), if any. */
export function catalogNameFor(singularWords: readonly string[]): string | undefined {
  const joined = singularWords.join('');
  const byAlias = ALIASES.get(joined) ?? ALIASES.get(singularWords.join(' '));
  if (byAlias) return byAlias;
  const pascal = singularWords.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return TEMPLATES.has(pascal) ? pascal : undefined;
}

/** Every entity name the catalog knows, for telling a misspelled name from a new one. */
export function catalogNames(): string[] {
  return [...new Set([...TEMPLATES.values()].map((t) => t.name))];
}

/** Aliases that are not what a person would call the records ("todo", "diary"): the entity keeps the catalog name. */
const RENAMING_ALIASES = new Set('todo checkin journal diary maintenance opening show'.split(' '));

/**
 * The person's own word for a catalog entity ("articles" → Article, built like Post), unless the
 * catalog name itself appears in the prompt (`mentioned`, singular words), which then wins.
 */
export function keptAliasName(
  singularWords: readonly string[],
  mentioned: ReadonlySet<string>,
): string | undefined {
  const [word] = singularWords;
  if (singularWords.length !== 1 || !word || RENAMING_ALIASES.has(word)) return undefined;
  const canonical = ALIASES.get(word);
  if (!canonical) return undefined;
  const canonicalWords = canonical
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ');
  return canonicalWords.every((w) => mentioned.has(w))
    ? undefined
    : word.charAt(0).toUpperCase() + word.slice(1);
}

/** The catalog entity an entity is built like: itself, or the entity its name is an alias of. */
export function canonicalName(name: string): string {
  return TEMPLATES.has(name) ? name : (ALIASES.get(name.toLowerCase()) ?? name);
}

/** A fresh draft for an entity: the catalog template if one exists, else contact or name fields. */
export function draftFromCatalog(name: string, templateKey: string = name): EntityDraft {
  const template = findTemplate(templateKey) ?? findTemplate(name) ?? findTemplate(canonicalName(name));
  if (template) {
    return {
      name,
      fields: template.fields.map((f) => ({ ...f })),
      explicitFields: false,
      wantsParent: template.wantsParent,
      parentRequired: template.parentRequired,
    };
  }
  const lastWord = /[A-Z][a-z0-9]*$/.exec(name)?.[0]?.toLowerCase() ?? '';
  const fields = PERSON_NOUNS.has(lastWord)
    ? [field('name', 'string', { required: true }), field('email', 'email'), field('phone', 'string')]
    : [field('name', 'string', { required: true }), field('description', 'text')];
  return { name, fields, explicitFields: false, wantsParent: false, parentRequired: false, generic: true };
}
