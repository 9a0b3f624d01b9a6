/** What the grammar read from a prompt, before any entity or field is built from it. */
import type { FieldType } from '../../../core/domain/spec.js';

/** Who a fact is about: a named entity, the nearest entity mentioned before a position, or the primary. */
export type Subject =
  | { kind: 'entity'; name: string }
  | {
      kind: 'context';
      sentence: number;
      pos: number;
      /** Clause start: pick the first mention after it. */ from?: number;
    }
  | { kind: 'primary' };

export interface FieldItem {
  /** Lower-case words of the field's name as written ("due", "dates"). */
  words: string[];
  required?: boolean;
  /** A type the prompt made plain ("in cents", "a … flag"), beating the guess from the words. */
  type?: FieldType;
  /** Inclusive bounds of a numeric field ("1-10 points"). */
  min?: number;
  max?: number;
}

/** How a child entity hangs off its parent. */
export type LinkHow =
  | 'parent' // child.parent = parent (many-to-one)
  | 'tags' // subject.tags references the tag entity
  | 'single' // subject.<target> reference (e.g. by category, assigned to a member)
  | 'people'; // subject.<targets> references people (e.g. projects with members)

export type Fact =
  | { kind: 'entity'; name: string; sentence: number; pos: number; topic?: boolean }
  | { kind: 'field'; subject: Subject; item: FieldItem; explicit: boolean }
  | { kind: 'enum'; subject: Subject; words: string[]; values: string[] }
  | { kind: 'link'; from: Subject; to: Subject; how: LinkHow };

/** A link whose field is named for the role ("suggestedBy", "manager"), not after its target. */
export interface RoleLink {
  kind: 'link';
  from: Subject;
  to: Subject;
  how: LinkHow;
  role: string;
}
