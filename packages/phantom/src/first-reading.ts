/**
 * The phantom's scripted first reading, for tests and the demo: the first reader measured nodule
 * N1 at its diameter in this study and missed N2. Environment-neutral (no Node APIs).
 */
import { createMeasurement, readingFromMeasurements, type Reader, type Reading } from '@secondread/core';
import type { PhantomTruth } from './generate.ts';

export interface PhantomFirstReadingOptions {
  readonly reader?: Reader;
  readonly impression?: string;
}

/** A `first` reading with one nodule finding: a horizontal length across N1 through its centre. */
export function phantomFirstReading(truth: PhantomTruth, options: PhantomFirstReadingOptions = {}): Reading {
  const n1 = truth.nodules[0]!;
  const r = n1.diameterMm / 2;
  const measurement = createMeasurement({
    kind: 'length',
    points: [
      [n1.centerMm[0] - r, n1.centerMm[1], n1.centerMm[2]],
      [n1.centerMm[0] + r, n1.centerMm[1], n1.centerMm[2]],
    ],
    studyUid: truth.studyInstanceUid,
    seriesUid: truth.seriesInstanceUid,
    sopInstanceUid: n1.sopInstanceUid,
    frameOfReferenceUid: truth.frameOfReferenceUid,
    readerId: 'first-reader',
    label: `${n1.location} nodule`,
  });
  const reading = readingFromMeasurements([measurement], {
    role: 'first',
    reader: options.reader ?? { name: 'Dr A. First' },
    studyUid: truth.studyInstanceUid,
    category: 'nodule',
  });
  return options.impression === undefined ? reading : { ...reading, impression: options.impression };
}
