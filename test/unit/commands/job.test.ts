import { describe, expect, it } from 'vitest';
import { parseJobRef } from '../../../src/commands/job.ts';

describe('parseJobRef', () => {
  it.each([
    ['42', { id: 42 }],
    [' "MetadataExtraction#1_2017" ', { name: 'MetadataExtraction#1_2017' }],
    ['bulk_api_job_2017-09-10', { name: 'bulk_api_job_2017-09-10' }],
    ['', undefined],
  ])('%j', (args, ref) => {
    expect(parseJobRef(args)).toEqual(ref);
  });
});
