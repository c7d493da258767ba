/**
 * The JSON form of one reading: {@link parseReading} and the parsers of its parts (findings,
 * their locations, measurements, images, segments, source documents).
 */
import type { Vec3 } from '../../geometry.js';
import { MeasurementSchemaError } from '../../measurements/errors.js';
import { joinPath } from '../../json-schema.js';
import { parseMeasurement } from '../../measurements/schema.js';
import type { Measurement } from '../../measurements/types.js';
import { ReadingSchemaError } from '../errors.js';
import {
  FINDING_CATEGORIES,
  FINDING_SEVERITIES,
  READING_ROLES,
  READING_SOURCE_KINDS,
  READING_STATUSES,
  type CodedConcept,
  type Finding,
  type FindingLocation,
  type ImageReference,
  type KeyImage,
  type Reader,
  type Reading,
  type ReadingDocument,
  type ReadingSource,
  type SegmentReference,
} from '../types.js';
import {
  arrayAt,
  enumAt,
  jsonValue,
  numberAt,
  numbersAt,
  objectAt,
  optionalStringAt,
  positiveIntegerAt,
  setIfDefined,
  stringAt,
  timestampAt,
  type Mutable,
} from './fields.js';

function parseReader(value: unknown, path: string): Reader {
  const object = objectAt(value, path, ['name', 'id', 'institution']);
  const reader: Mutable<Reader> = { name: stringAt(object, 'name', path, { nonEmpty: true }) };
  setIfDefined(reader, 'id', optionalStringAt(object, 'id', path));
  setIfDefined(reader, 'institution', optionalStringAt(object, 'institution', path));
  return reader;
}

function parseCodedConcept(value: unknown, path: string): CodedConcept {
  const object = objectAt(value, path, ['value', 'scheme', 'meaning']);
  return {
    value: stringAt(object, 'value', path, { nonEmpty: true }),
    scheme: stringAt(object, 'scheme', path, { nonEmpty: true }),
    meaning: stringAt(object, 'meaning', path),
  };
}

function parseImageReference(value: unknown, path: string): ImageReference {
  const object = objectAt(value, path, ['studyUid', 'seriesUid', 'sopInstanceUid', 'frame']);
  const image: Mutable<ImageReference> = {
    studyUid: stringAt(object, 'studyUid', path),
    seriesUid: stringAt(object, 'seriesUid', path),
    sopInstanceUid: stringAt(object, 'sopInstanceUid', path, { nonEmpty: true }),
  };
  if (object.frame !== undefined) image.frame = positiveIntegerAt(object, 'frame', path);
  return image;
}

function parseKeyImage(value: unknown, path: string): KeyImage {
  const object = objectAt(value, path, ['image', 'dataUrl', 'capturedAt', 'caption']);
  const dataUrl = stringAt(object, 'dataUrl', path);
  if (!dataUrl.startsWith('data:image/')) {
    throw new ReadingSchemaError(
      joinPath(path, 'dataUrl'),
      'must be a data: URL of an image (data:image/png;base64,...)',
    );
  }
  const keyImage: Mutable<KeyImage> = {
    image: parseImageReference(object.image, joinPath(path, 'image')),
    dataUrl,
    capturedAt: timestampAt(object, 'capturedAt', path) as string,
  };
  setIfDefined(keyImage, 'caption', optionalStringAt(object, 'caption', path));
  return keyImage;
}

function parseVec3(value: unknown, path: string): Vec3 {
  return numbersAt(value, path, 3, 'a point [x, y, z] in mm') as unknown as Vec3;
}

function parseSegmentReference(value: unknown, path: string): SegmentReference {
  const object = objectAt(value, path, [
    'seriesUid',
    'sopInstanceUid',
    'segmentNumber',
    'label',
    'centroid',
    'volumeMm3',
  ]);
  const segment: Mutable<SegmentReference> = {
    seriesUid: stringAt(object, 'seriesUid', path),
    sopInstanceUid: stringAt(object, 'sopInstanceUid', path),
    segmentNumber: positiveIntegerAt(object, 'segmentNumber', path),
  };
  setIfDefined(segment, 'label', optionalStringAt(object, 'label', path));
  if (object.centroid !== undefined) segment.centroid = parseVec3(object.centroid, joinPath(path, 'centroid'));
  setIfDefined(segment, 'volumeMm3', numberAt(object, 'volumeMm3', path, 0));
  return segment;
}

/**
 * Validates a measurement of a finding with the measurement schema (`parseMeasurement`) and
 * returns a clean copy; a problem is thrown as a {@link ReadingSchemaError} with its full path.
 * @throws ReadingSchemaError
 */
export function parseMeasurementForReading(value: unknown, path = ''): Measurement {
  try {
    return parseMeasurement(value, path);
  } catch (error) {
    if (error instanceof MeasurementSchemaError) {
      const prefix = `${error.path || 'document'}: `;
      const problem = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      throw new ReadingSchemaError(error.path, problem, { cause: error });
    }
    throw error;
  }
}

function parseLocation(value: unknown, path: string): FindingLocation {
  const object = objectAt(value, path, ['measurements', 'images', 'site', 'segment']);
  const measurementsPath = joinPath(path, 'measurements');
  const seen = new Set<string>();
  const measurements = arrayAt(object, 'measurements', path).map((item, index) => {
    const measurement = parseMeasurementForReading(item, `${measurementsPath}[${index}]`);
    if (seen.has(measurement.id)) {
      throw new ReadingSchemaError(`${measurementsPath}[${index}].id`, 'duplicates the id of an earlier measurement');
    }
    seen.add(measurement.id);
    return measurement;
  });
  const imagesPath = joinPath(path, 'images');
  const images = arrayAt(object, 'images', path).map((item, index) =>
    parseImageReference(item, `${imagesPath}[${index}]`),
  );
  const location: Mutable<FindingLocation> = { measurements, images };
  if (object.site !== undefined) {
    location.site =
      typeof object.site === 'string' ? object.site : parseCodedConcept(object.site, joinPath(path, 'site'));
  }
  if (object.segment !== undefined) location.segment = parseSegmentReference(object.segment, joinPath(path, 'segment'));
  return location;
}

const FINDING_KEYS = [
  'id',
  'description',
  'category',
  'location',
  'severity',
  'text',
  'trackingUid',
  'keyImages',
  'createdFromMeasurement',
] as const;

/**
 * Validates one finding and returns a clean copy (only schema fields, fresh arrays).
 * `path` prefixes the paths of errors, e.g. `readings[0].findings[2]`.
 * @throws ReadingSchemaError naming the first offending field
 */
export function parseFinding(value: unknown, path = ''): Finding {
  const object = objectAt(value, path, FINDING_KEYS);
  const finding: Mutable<Finding> = {
    id: stringAt(object, 'id', path, { nonEmpty: true }),
    description: stringAt(object, 'description', path),
    category: enumAt(object, 'category', path, FINDING_CATEGORIES),
    location: parseLocation(object.location, joinPath(path, 'location')),
  };
  if (object.severity !== undefined) finding.severity = enumAt(object, 'severity', path, FINDING_SEVERITIES);
  setIfDefined(finding, 'text', optionalStringAt(object, 'text', path));
  setIfDefined(finding, 'trackingUid', optionalStringAt(object, 'trackingUid', path));
  if (object.keyImages !== undefined) {
    const keyImagesPath = joinPath(path, 'keyImages');
    finding.keyImages = arrayAt(object, 'keyImages', path).map((item, index) =>
      parseKeyImage(item, `${keyImagesPath}[${index}]`),
    );
  }
  if (object.createdFromMeasurement !== undefined) {
    if (typeof object.createdFromMeasurement !== 'boolean') {
      throw new ReadingSchemaError(joinPath(path, 'createdFromMeasurement'), 'must be true or false');
    }
    finding.createdFromMeasurement = object.createdFromMeasurement;
  }
  return finding;
}

function parseSource(value: unknown, path: string): ReadingSource {
  const object = objectAt(value, path, [
    'kind',
    'studyUid',
    'seriesUid',
    'sopInstanceUid',
    'unknownContent',
    'document',
  ]);
  const source: Mutable<ReadingSource> = { kind: enumAt(object, 'kind', path, READING_SOURCE_KINDS) };
  setIfDefined(source, 'studyUid', optionalStringAt(object, 'studyUid', path));
  setIfDefined(source, 'seriesUid', optionalStringAt(object, 'seriesUid', path));
  setIfDefined(source, 'sopInstanceUid', optionalStringAt(object, 'sopInstanceUid', path));
  if (object.unknownContent !== undefined) {
    const list = arrayAt(object, 'unknownContent', path);
    let copy: unknown[];
    try {
      copy = JSON.parse(JSON.stringify(list)) as unknown[];
    } catch {
      throw new ReadingSchemaError(joinPath(path, 'unknownContent'), 'must be plain JSON');
    }
    source.unknownContent = copy;
  }
  if (object.document !== undefined) source.document = parseDocument(object.document, joinPath(path, 'document'));
  return source;
}

function parseDocument(value: unknown, path: string): ReadingDocument {
  const object = objectAt(value, path, ['mediaType', 'title', 'byteLength']);
  const document: Mutable<ReadingDocument> = { mediaType: stringAt(object, 'mediaType', path, { nonEmpty: true }) };
  setIfDefined(document, 'title', optionalStringAt(object, 'title', path));
  if (object.byteLength !== undefined) {
    const byteLength = object.byteLength;
    if (typeof byteLength !== 'number' || !Number.isInteger(byteLength) || byteLength < 0) {
      throw new ReadingSchemaError(joinPath(path, 'byteLength'), 'must be a whole number of bytes (0 or more)');
    }
    document.byteLength = byteLength;
  }
  return document;
}

const READING_KEYS = [
  'id',
  'role',
  'reader',
  'studyUid',
  'findings',
  'impression',
  'recommendations',
  'status',
  'createdAt',
  'updatedAt',
  'finalizedAt',
  'source',
] as const;

export function parseReadingAt(value: unknown, path: string): Reading {
  const object = objectAt(value, path, READING_KEYS);
  const findingsPath = joinPath(path, 'findings');
  const findingIds = new Set<string>();
  const measurementIds = new Set<string>();
  const findings = arrayAt(object, 'findings', path).map((item, index) => {
    const at = `${findingsPath}[${index}]`;
    const finding = parseFinding(item, at);
    if (findingIds.has(finding.id)) throw new ReadingSchemaError(`${at}.id`, 'duplicates the id of an earlier finding');
    findingIds.add(finding.id);
    finding.location.measurements.forEach((measurement, measurementIndex) => {
      if (measurementIds.has(measurement.id)) {
        throw new ReadingSchemaError(
          `${at}.location.measurements[${measurementIndex}].id`,
          'is already used by a measurement of another finding of this reading',
        );
      }
      measurementIds.add(measurement.id);
    });
    return finding;
  });
  const reading: Mutable<Reading> = {
    id: stringAt(object, 'id', path, { nonEmpty: true }),
    role: enumAt(object, 'role', path, READING_ROLES),
    reader: parseReader(object.reader, joinPath(path, 'reader')),
    studyUid: stringAt(object, 'studyUid', path, { nonEmpty: true }),
    findings,
    impression: stringAt(object, 'impression', path),
    recommendations: stringAt(object, 'recommendations', path),
    status: enumAt(object, 'status', path, READING_STATUSES),
    createdAt: timestampAt(object, 'createdAt', path) as string,
    updatedAt: timestampAt(object, 'updatedAt', path) as string,
  };
  setIfDefined(reading, 'finalizedAt', timestampAt(object, 'finalizedAt', path, true));
  if (reading.status !== 'draft' && reading.finalizedAt === undefined) {
    throw new ReadingSchemaError(joinPath(path, 'finalizedAt'), `is required when the status is ${reading.status}`);
  }
  if (object.source !== undefined) reading.source = parseSource(object.source, joinPath(path, 'source'));
  return reading;
}

/**
 * Reads one reading (the parsed JSON value, or its text) and returns a validated copy. Every
 * field is checked, including the measurements of its findings (measurement schema); finding ids
 * and measurement ids must be unique within the reading. `path` prefixes error paths.
 * @throws ReadingSchemaError with the path of the first offending value, e.g. `findings[0].category`
 */
export function parseReading(json: unknown, path = ''): Reading {
  return parseReadingAt(jsonValue(json), path);
}
