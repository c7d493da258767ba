/**
 * Readings and findings made from measurements: a scripted first reading (one finding per
 * measurement), and the default description of a finding made from a measurement.
 */
import { computeGeometry } from '../measurements/geometry.js';
import type { Measurement, MeasurementKind } from '../measurements/types.js';
import { parseMeasurementForReading, parseReading } from './schema.js';
import type { Finding, FindingCategory, Reader, Reading, ReadingRole, ReadingStatus } from './types.js';

/** How each measurement kind is named in a finding's default description. */
export const MEASUREMENT_KIND_NAMES: Readonly<Record<MeasurementKind, string>> = {
  length: 'Length',
  angle: 'Angle',
  'cobb-angle': 'Cobb angle',
  bidirectional: 'Bidirectional',
  'ellipse-roi': 'Ellipse ROI',
  'rectangle-roi': 'Rectangle ROI',
  'freehand-roi': 'Freehand ROI',
  probe: 'Probe',
  arrow: 'Arrow',
  label: 'Label',
};

const mm = (value: number): string => `${value.toFixed(1)} mm`;

/**
 * A one-line description of a measurement, for a finding made from it: its label (or the name
 * of its kind) and its values, e.g. `Length: 12.0 mm`, `Bidirectional: 16.0 × 10.0 mm`,
 * `RUL nodule: 113 mm², mean 60 HU`, `Angle: 30.0°`, `Arrow: rib fracture`.
 */
export function describeMeasurement(measurement: Measurement): string {
  const name = measurement.label.trim() || MEASUREMENT_KIND_NAMES[measurement.kind];
  let geometric: ReturnType<typeof computeGeometry> = {};
  try {
    geometric = computeGeometry(measurement.kind, measurement.points, measurement.imageOrientationPatient);
  } catch {
    // Invalid points: describe what the values say.
  }
  const values = { ...geometric, ...measurement.values };
  let detail: string | undefined;
  switch (measurement.kind) {
    case 'length':
      detail = values.lengthMm === undefined ? undefined : mm(values.lengthMm);
      break;
    case 'bidirectional':
      detail =
        values.lengthMm === undefined
          ? undefined
          : `${values.lengthMm.toFixed(1)} × ${(values.shortAxisMm ?? 0).toFixed(1)} mm`;
      break;
    case 'angle':
    case 'cobb-angle':
      detail = values.angleDeg === undefined ? undefined : `${values.angleDeg.toFixed(1)}°`;
      break;
    case 'ellipse-roi':
    case 'rectangle-roi':
    case 'freehand-roi':
      detail =
        values.areaMm2 === undefined
          ? undefined
          : `${values.areaMm2.toFixed(0)} mm²${values.meanHu === undefined ? '' : `, mean ${values.meanHu.toFixed(0)} HU`}`;
      break;
    case 'probe':
      detail = values.hu === undefined ? undefined : `${values.hu.toFixed(0)} HU`;
      break;
    case 'arrow':
    case 'label':
      detail = measurement.text?.trim() || undefined;
      break;
  }
  return detail === undefined ? name : `${name}: ${detail}`;
}

/** Options of {@link readingFromMeasurements}. */
export interface ReadingFromMeasurementsOptions {
  readonly role: ReadingRole;
  readonly reader: Reader;
  readonly studyUid: string;
  /** The category of every finding; `other` by default. */
  readonly category?: FindingCategory;
  /** The reading's id; a new UUID by default. */
  readonly id?: string;
  /** `final` by default (with `finalizedAt`), as a reading handed over for review is. */
  readonly status?: ReadingStatus;
  /** The clock, for the timestamps. */
  readonly now?: () => Date;
}

/**
 * A reading with one finding per measurement (description from {@link describeMeasurement}),
 * e.g. a scripted first reading for a demo or a test. Measurements are validated and copied.
 * @throws ReadingSchemaError when a measurement or an option is invalid
 */
export function readingFromMeasurements(
  measurements: readonly Measurement[],
  options: ReadingFromMeasurementsOptions,
): Reading {
  const timestamp = (options.now ?? (() => new Date()))().toISOString();
  const status = options.status ?? 'final';
  const findings: Finding[] = measurements.map((value, index) => {
    const measurement = parseMeasurementForReading(value, `measurements[${index}]`);
    return {
      id: crypto.randomUUID(),
      description: describeMeasurement(measurement),
      category: options.category ?? 'other',
      location: { measurements: [measurement], images: [] },
    };
  });
  const reading = {
    id: options.id ?? crypto.randomUUID(),
    role: options.role,
    reader: options.reader,
    studyUid: options.studyUid,
    findings,
    impression: '',
    recommendations: '',
    status,
    createdAt: timestamp,
    updatedAt: timestamp,
    ...(status === 'draft' ? {} : { finalizedAt: timestamp }),
  };
  return parseReading(reading);
}
