import { ObjectId } from 'mongodb';
import { validationProblem } from '../../lib/problem.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** Product ids are ObjectId hex strings; anything else names no product. A page cursor is the last id of a page. */
export function parseProductId(id: string): ObjectId | undefined {
  return OBJECT_ID.test(id) ? new ObjectId(id) : undefined;
}

export const encodeCursor = (id: ObjectId) => Buffer.from(id.toHexString(), 'hex').toString('base64url');

export function decodeCursor(cursor: string): ObjectId {
  const hex = Buffer.from(cursor, 'base64url').toString('hex');
  if (!OBJECT_ID.test(hex) || encodeCursor(new ObjectId(hex)) !== cursor) {
    throw validationProblem([{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return new ObjectId(hex);
}
