import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';

/** The state a product's strong ETag names: its catalog revision and its ledger head. */
export interface TagState {
  rev: number;
  seq: number;
}

export const entityTag = ({ rev, seq }: TagState) => `"r${rev}s${seq}"`;

const OUR_TAG = /^"r(\d+)s(\d+)"$/;

/** The members of an If-Match / If-None-Match list; `*` stays `*`. */
const members = (header: string) =>
  header
    .split(',')
    .map((member) => member.trim())
    .filter(Boolean);

/**
 * The states an If-Match header accepts: undefined for "any" (absent or `*`). Strong comparison
 * (RFC 9110 §13.1.1): a weak or foreign tag matches nothing.
 */
export function acceptedStates(ifMatch: string | undefined): TagState[] | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  return members(ifMatch).flatMap((member) => {
    const match = OUR_TAG.exec(member);
    return match ? [{ rev: Number(match[1]), seq: Number(match[2]) }] : [];
  });
}

export const sameState = (a: TagState, b: TagState) => a.rev === b.rev && a.seq === b.seq;

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
export function noneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return true;
  const tags = members(ifNoneMatch).map((member) => member.replace(/^W\//, ''));
  return !tags.some((tag) => tag === '*' || tag === etag);
}

export const preconditionFailed = (id: string) =>
  new ProblemError(412, ErrorCode.PRECONDITION_FAILED, `Product ${id} changed since that ETag; read it again`, {
    productId: id,
  });
