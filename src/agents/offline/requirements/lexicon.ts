/**
 * Word lists: which words are filler, which name the app itself, which are people acting rather than
 * things to store, and what type a field is from its name.
 */
import type { FieldType } from '../../../core/domain/spec.js';

const set = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

/** Function words and app-talk that never name an entity or a field. */
export const STOP_WORDS = set(`
a an the and or but nor of to in on at by for with without from into onto over under about as is are
was were be been being am it its this that these those there their theirs them they he she his her we
our ours us you your yours i me my mine who whom whose which what where when why how can could should
would will shall may might must do does did done has have had having not no yes so if then than also
too very just only all any each every some many much more most few other others such own same both
either neither one ones up down out off again further once here now etc eg ie e g i.e via per like
please let lets want wants need needs able using use used well way ways thing things stuff lot lots
kind kinds sort sorts simple nice easy good great basic small big little new old modern clean quick
build create make made making give get got gets keep keeps see sees show shows allow allows help helps
everyone anyone someone something anything everything nothing always never sometimes often daily
weekly monthly yearly really maybe perhaps thanks thank hi hello hey ok okay sure print ignore
thats whats heres theres previous instructions instruction system prompt env environment variables secret secrets token tokens
drop select insert update delete from where script alert null undefined true false
whatever together across between within upon among while until since because though although
even still yet already able own along around near next last first second third way super cool
awesome beautiful fancy better best lovely amazing private public personal full stack online offline
web mobile responsive accessible fast secure page pages screen screens view views button buttons
features option options setting settings detail details info information data field fields
column columns row rows stat stats statistics chart charts graph graphs analytics insight insights
dashboard report reports overview summary streak streaks summaries list lists time times day days week weeks month
months year years hour hours minute minutes second seconds today tomorrow yesterday morning evening
night app apps application applications site sites website websites tool tools system systems
platform platforms portal software program solution
`);

/** Words that name the kind of software; the words before them are the app's topic. */
export const APP_WORDS = set(`
app apps application applications site website webapp tool system platform portal dashboard tracker
manager planner board logger monitor hub directory catalog catalogue marketplace software
program solution scheduler calendar diary crm erp cms backend frontend
`);
/** App words worth keeping in the app's name ("Habit Tracker", "Job Board"). */
export const NAMEABLE_APP_WORDS = set(
  'tracker manager planner board organizer organiser directory catalog catalogue marketplace scheduler diary journal crm erp cms',
);
/** Activity words between a topic and an app word ("habit tracking app"), not entities themselves. */
export const ACTIVITY_WORDS = set(`
management managing tracking taking sharing planning scheduling logging keeping ordering ticketing
organizing organising monitoring budgeting cooking reading writing learning recording reminder
reminders notification notifications alert alerts
`);
/** Places and domains: they set the scene ("vet clinic app") but are not rows the app stores. */
export const TOPIC_ONLY_WORDS = set(`
inventory crm blog blogging library school clinic gym wedding hotel restaurant bakery shop store
business team family personal home office church club studio salon farm kitchen classroom fitness
finance money sales support marketing hr admin internal small simple basic web mobile online my our
a an the warehouse real estate freelance freelancer agency startup company's nonprofit charity
household local tiny side hobby community neighborhood neighbourhood feedback museum practice
fleet
`);
/** People using the app rather than records in it; they become entities only when named explicitly. */
export const ACTOR_WORDS = set(`
user users admin admins administrator administrators visitor visitors folks everyone anyone someone
people's i we you they me us them he she
`);
/** Verbs that end in -s but are never plural nouns in a prompt. */
export const VERBS_ENDING_IN_S = set(`
allows lets helps needs wants makes has does is was gives shows keeps uses includes contains supports
provides enables requires means goes says gets sends seems becomes belongs manages displays creates
adds sees knows thinks tells asks tries stores saves finds reminds notifies syncs works runs looks
feels handles covers offers calculates computes generates sums assigns submits publishes writes reads
edits deletes removes updates changes opens closes lists`);
/** Words right before an -s word that make it a verb ("an app that tracks …"). */
export const VERB_SUBJECT_MARKERS = set(
  'that which who it he she also just app tool system site one everyone someone user admin easily automatically',
);

/** Plural nouns that are fields when listed ("with dates and prices"), never entities by themselves. */
export const FIELD_WORDS = set(`
name names title titles date dates time times price prices cost costs amount amounts total totals
description descriptions status statuses priority priorities deadline deadlines note notes quantity
quantities count counts email emails phone phones address addresses link links url urls detail
details instruction instructions step steps direction directions requirement requirements due
birthday birthdays color colors colour colours location locations duration durations hour hours
minute minutes day days mileage capacity age ages weight weights height heights size sizes level
levels rank ranks bedroom bedrooms bathroom bathrooms serving servings calorie calories rep reps set
sets point points star stars view views like likes seat seats isbn sku code codes number numbers
frequency value values score scores species genre genres request requests special stage stages
severity difficulty
`);

/**
 * Words that are never a thing to store: units ("litres", "km"), verbs of approval and the like, and
 * irregular participles ("given", "broken"). Regular participles ("rented") are told by their ending.
 */
export const NON_THING_WORDS = set(`
kg kgs kilo kilos kilogram kilograms gram grams lb lbs oz ounce ounces km kms kilometer kilometre
kilometers kilometres mile miles meter metre meters metres cm mm inch inches foot feet liter litre
liters litres ml gallon gallons celsius fahrenheit percent bpm kcal mph kmh sqm sqft
approve approves reject rejects accept accepts decline declines cancel cancels confirm confirms
sign signs pay pays check checks return returns
given broken taken written driven chosen eaten forgotten stolen hidden spoken frozen done gone seen
known shown sent paid sold bought brought kept left lost met held won told found thrown worn
`);
/** Nouns ending in -ed that are not participles. */
export const ED_NOUNS = set('speed breed seed feed need steed creed bed shed reed weed hundred embed deed');

/** Classification nouns: "with tags" makes a Tag entity and a many-to-many link. */
export const TAG_WORDS = set('tag tags label labels keyword keywords');

/** Default enum values by the field's last word; Task-like status values differ from generic ones. */
export const DEFAULT_ENUMS: Readonly<Record<string, readonly string[]>> = {
  status: ['open', 'in_progress', 'closed'],
  state: ['open', 'in_progress', 'closed'],
  priority: ['low', 'medium', 'high'],
  urgency: ['low', 'medium', 'high'],
  severity: ['low', 'medium', 'high', 'critical'],
  difficulty: ['easy', 'medium', 'hard'],
  stage: ['lead', 'qualified', 'proposal', 'won', 'lost'],
  condition: ['new', 'good', 'fair', 'poor'],
};

const BOOLEAN_WORDS = set(`
done completed complete active published archived paid approved available verified featured pinned
attending confirmed enabled visible flag flagged favorite favourite resolved finished checked present
vegan vegetarian private public hidden read returned accepted signed booked subscribed urgent starred
adopted neutered spayed vaccinated insured free rsvpd
`);
const DATE_WORDS = set('date due deadline birthday dob anniversary expiry expiration birthdate birth day');
const DATETIME_WORDS = set(
  'time timestamp datetime at when starts ends start end arrival departure checkout checkin',
);
const DURATION_MODIFIERS = set(
  'prep cook cooking preparation travel reading running wait waiting total screen response play',
);
const DURATION_WORDS = set('duration minutes mins hours hrs length');
const MONEY_WORDS = set(`
price cost amount salary budget total fee fees revenue value wage rent balance payment income spend
spending deposit tip charge subtotal tax pay refund earnings profit bid premium
`);
const INTEGER_WORDS = set(`
count quantity qty age rating score stock servings year rank stars votes capacity seats pages calories
reps sets points floor bedrooms bathrooms mileage odometer views likes streak ones guests attendees
bpm
`);
const NUMBER_WORDS = set(`
weight height percentage percent rate latitude longitude lat lng distance temperature temp area sqft
footage gpa average ratio bmi volume width depth speed pace progress ph ammonia nitrite nitrate
nitrates humidity moisture salinity yield tempo litres liters
`);
const TEXT_WORDS = set(`
description notes note body content bio biography instructions details summary comment comments message
feedback review steps directions method abstract transcript requirements symptoms diagnosis treatment
answer reason remarks excerpt story text agenda requests request
`);
const EMAIL_WORDS = set('email emails mail');
const URL_WORDS = set(
  'url link links website homepage photo image picture avatar logo thumbnail cover video audio resume cv attachment',
);
/** "X number" is an identifier string, not a count, for these X. */
const IDENTIFIER_NUMBER_MODIFIERS = set(`
phone mobile cell tel telephone contact seat room order invoice tracking serial account reference policy
flight table house license licence registration unit apartment model part case ticket membership vat tax
`);
const BOUND_WORDS = set('min max minimum maximum');
const PLACE_PREPOSITIONS = set('on in at to from for');
const AVAILABILITY_WORDS = set('available left remaining free open');
const UNIQUE_WORDS = set('isbn sku vin slug username barcode');

const IRREGULAR_PARTICIPLES = set(
  'given taken written done seen sent paid sold bought made held won lost begun drawn shown known told driven eaten chosen broken',
);
/** A past participle: "rented", "given", "taken". */
export const isParticiple = (w: string): boolean => /^[a-z]{2,}ed$/.test(w) || IRREGULAR_PARTICIPLES.has(w);

export interface FieldTyping {
  type: FieldType;
  enumValues?: readonly string[];
  unique?: boolean;
}

/** The type a field most likely has, from the words of its name (already without articles). */
export function inferFieldType(words: readonly string[]): FieldTyping {
  // "rate per night", "price per litre": the words before "per" name the value
  const per = words.indexOf('per');
  if (per > 0) {
    const before = words.slice(0, per);
    return before[before.length - 1] === 'rate' ? { type: 'money' } : inferFieldType(before);
  }
  // "quantity on hand", "distance to work": the words before the preposition name the value
  const prep = words.findIndex((w, k) => k > 0 && PLACE_PREPOSITIONS.has(w));
  if (prep > 0) {
    const before = inferFieldType(words.slice(0, prep));
    if (before.type !== 'string') return before;
  }
  // "seats available", "spots left": a count of what is still free
  const tail = words[words.length - 1] ?? '';
  if (words.length > 1 && AVAILABILITY_WORDS.has(tail)) {
    const counted = inferFieldType(words.slice(0, -1)).type;
    if (counted === 'integer' || counted === 'number') return { type: counted };
  }
  const last = words[words.length - 1] ?? '';
  const first = words[0] ?? '';
  if (words.length > 1 && ['is', 'has', 'can', 'should', 'allow'].includes(first)) return { type: 'boolean' };
  if (UNIQUE_WORDS.has(last)) return { type: 'string', unique: true };
  // "min players", "max guests": a bound on a count, unless the rest names a typed value ("max price")
  if (words.length > 1 && BOUND_WORDS.has(first)) {
    const rest = inferFieldType(words.slice(1));
    return rest.type === 'string' ? { type: 'integer' } : rest;
  }
  if (EMAIL_WORDS.has(last)) return { type: 'email' };
  if (URL_WORDS.has(last)) return { type: 'url' };
  if (last === 'number') return { type: IDENTIFIER_NUMBER_MODIFIERS.has(first) ? 'string' : 'integer' };
  if (last === 'size')
    return { type: ['party', 'team', 'group', 'household', 'class'].includes(first) ? 'integer' : 'string' };
  if (last === 'time' && DURATION_MODIFIERS.has(first)) return { type: 'integer' };
  if (DURATION_WORDS.has(last)) return { type: 'integer' };
  const enumValues = DEFAULT_ENUMS[last];
  if (enumValues) return { type: 'enum', enumValues };
  if (BOOLEAN_WORDS.has(last)) return { type: 'boolean' };
  if (DATE_WORDS.has(last) || (last === 'on' && words.length > 1)) return { type: 'date' };
  // "date given", "date applied": a date named by what happened on it
  if (words.length === 2 && DATE_WORDS.has(first) && isParticiple(last)) return { type: 'date' };
  if (DATETIME_WORDS.has(last)) return { type: 'datetime' };
  if (MONEY_WORDS.has(last)) return { type: 'money' };
  if (INTEGER_WORDS.has(last)) return { type: 'integer' };
  if (NUMBER_WORDS.has(last)) return { type: 'number' };
  if (TEXT_WORDS.has(last)) return { type: 'text' };
  return { type: 'string' };
}

/** Words that mark a field as wanted or not: "optional notes", "a required email". */
export const OPTIONAL_MARKERS = set('optional maybe possibly');
export const REQUIRED_MARKERS = set('required mandatory compulsory');

/** Spoken type names used in change requests ("make price a number"). */
export const TYPE_NAMES: Readonly<Record<string, FieldType>> = {
  string: 'string',
  'short text': 'string',
  text: 'text',
  'long text': 'text',
  paragraph: 'text',
  integer: 'integer',
  int: 'integer',
  'whole number': 'integer',
  number: 'number',
  decimal: 'number',
  float: 'number',
  money: 'money',
  currency: 'money',
  price: 'money',
  boolean: 'boolean',
  checkbox: 'boolean',
  'yes no': 'boolean',
  flag: 'boolean',
  date: 'date',
  datetime: 'datetime',
  'date time': 'datetime',
  'date and time': 'datetime',
  timestamp: 'datetime',
  email: 'email',
  url: 'url',
  link: 'url',
};
