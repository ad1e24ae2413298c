/**
 * Case numbers people can read and say on the phone: county-year-sequence (e.g. XILAN-2026-000123),
 * the year China Standard Time's. Each number is claimed by inserting a document whose `_id` is the
 * number (`case_numbers`), the counter per county and year (`counters`) kept as the hint of where to
 * start (see `claimed-sequence.ts`): unique on MongoDB and on the local FerretDB, whose `$inc` alone
 * hands out duplicates under concurrent raises. A number handed out to a request that then finds its
 * case already started (an idempotent retry) is not reused: the sequence may have gaps, never duplicates.
 */
import type { Connection } from 'mongoose';
import { ClaimedSequence } from './claimed-sequence';

const caseNumber = (key: string, n: number) => `${key}-${String(n).padStart(6, '0')}`;

export class CaseNumbers {
  private readonly sequence: ClaimedSequence;

  constructor(
    connection: Connection,
    private readonly countyCode: string,
  ) {
    this.sequence = new ClaimedSequence(connection, {
      counters: 'counters',
      field: 'seq',
      claims: 'case_numbers',
      claimId: caseNumber,
    });
  }

  /** The next number for the year the instant falls in, in China Standard Time. */
  async next(at: Date): Promise<string> {
    const year = new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
    const key = `${this.countyCode}-${year}`;
    return caseNumber(key, await this.sequence.next(key, at));
  }
}
