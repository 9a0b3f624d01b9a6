/** Identifier spellings derived from the spec's camelCase / PascalCase names (already validated). */

function words(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** `todoItem` / `TodoItem` -> `todo-item` */
export function kebabCase(identifier: string): string {
  return words(identifier).join('-');
}

/** `todoItem` / `TodoItem` -> `todo_item` */
export function snakeCase(identifier: string): string {
  return words(identifier).join('_');
}

/** `todoItem` -> `TodoItem` */
export function pascalCase(identifier: string): string {
  return identifier.charAt(0).toUpperCase() + identifier.slice(1);
}

/** `TodoItem` -> `todoItem` */
export function camelCase(identifier: string): string {
  return identifier.charAt(0).toLowerCase() + identifier.slice(1);
}

/** `todoItem` -> `TODO_ITEM` */
export function constantCase(identifier: string): string {
  return snakeCase(identifier).toUpperCase();
}
