import { expect, test } from 'vitest';

import { mergeLines } from './camera-log';

test('mergeLines appends the pushed lines the file does not hold', () => {
  expect(mergeLines(['a', 'b', 'c'], ['b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
  expect(mergeLines(['a', 'b'], ['c'])).toEqual(['a', 'b', 'c']);
  expect(mergeLines(['a', 'b'], ['a', 'b'])).toEqual(['a', 'b']);
  expect(mergeLines([], ['x'])).toEqual(['x']);
  // Pushed lines the file already had (newer lines after them) are not repeated.
  expect(mergeLines(['1', '2', '3', '4'], ['2', '3', '5'])).toEqual(['1', '2', '3', '4', '5']);
  // A repeated line is kept when it is not an overlap.
  expect(mergeLines(['x', 'y'], ['y', 'y'])).toEqual(['x', 'y', 'y']);
});
