/**
 * Person-valued fields ("a manager", "an assignee", "the assigned tech", "a contact person"): a
 * reference when the app keeps the people meant, else they stay text.
 */
import { PERSON_NOUNS } from './catalog.js';
import { referenceFieldName, splitWords } from './naming.js';

/** Roles held by someone of the owner's own kind: an employee's manager is an employee. */
const PEER_ROLES = new Set('manager supervisor mentor boss lead buddy'.split(' '));
/** Roles that name whoever a record is given to: with one kind of person in the app, it is them. */
const ASSIGNEE_ROLES = new Set('assignee handler responsible'.split(' '));

const lastWord = (name: string): string => splitWords(name).at(-1) ?? '';
const isPersonEntity = (name: string): boolean => PERSON_NOUNS.has(lastWord(name));

/**
 * The entity a person-valued field of `owner` points at, among `others` (the app's other entities).
 * "contactPerson" → Contact, "assignedTech" → Tech, "manager" on Employee → Employee, "assignee"
 * with only Technicians → Technician.
 */
export function personTarget(
  owner: string,
  fieldName: string,
  others: readonly string[],
): string | undefined {
  const words = splitWords(fieldName);
  const role = words.at(-1) ?? '';
  const named = (rest: readonly string[]): string | undefined => {
    const key = rest.map((w, k) => (k === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
    return others.find((n) => referenceFieldName(n) === key);
  };
  // "assigned tech", "assigned to": the words after "assigned" name the people
  if (words[0] === 'assigned' && words.length > 1) return named(words.slice(1));
  if (role === 'person' || PERSON_NOUNS.has(role)) {
    // "contact person": the word before "person" names them
    const before = words.length > 1 ? named(words.slice(0, -1)) : undefined;
    if (before) return before;
  }
  if (PEER_ROLES.has(role) && isPersonEntity(owner)) return owner;
  if (ASSIGNEE_ROLES.has(role)) {
    const people = others.filter(isPersonEntity);
    return people.length === 1 ? people[0] : undefined;
  }
  return undefined;
}
