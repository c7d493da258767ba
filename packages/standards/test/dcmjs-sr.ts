/**
 * TID 1500 SRs written by dcmjs itself (its Cornerstone adapter's `MeasurementReport.generateReport`,
 * which OHIF and Cornerstone-based viewers used to store measurements), on real CT headers: what
 * another JavaScript viewer sends us as a first reading. The bytes are dcmjs' own; a test may
 * change one content item of the dataset (e.g. the observer name's value type) before dcmjs
 * writes it again.
 */
import dcmjs from 'dcmjs';
import type { NaturalDataset } from '../src/dicom.ts';

interface DcmjsWriter {
  adapters: {
    Cornerstone: {
      MeasurementReport: {
        generateReport(
          toolState: Record<string, Record<string, { data: unknown[] }>>,
          metadataProvider: { get(type: string, imageId: string): unknown },
          options: Record<string, unknown>,
        ): { dataset: NaturalDataset };
      };
    };
  };
  data: { datasetToBuffer(dataset: NaturalDataset): ArrayBuffer | Uint8Array };
}

const writer = dcmjs as DcmjsWriter;

/** A Cornerstone (legacy tools) Length annotation in pixel coordinates, with its length in mm. */
export interface DcmjsLength {
  readonly start: { x: number; y: number };
  readonly end: { x: number; y: number };
  readonly lengthMm: number;
}

/**
 * The dataset dcmjs builds for Length annotations on one CT slice (by its naturalized header),
 * as the Cornerstone adapter does it: observer "unknown^unknown", Completion Flag COMPLETE,
 * Content Date/Time now.
 */
export function dcmjsLengthReport(header: NaturalDataset, lengths: readonly DcmjsLength[]): NaturalDataset {
  const imageId = `dicomfile:${String(header.SOPInstanceUID)}`;
  const modules: Record<string, unknown> = {
    generalSeriesModule: {
      studyInstanceUID: String(header.StudyInstanceUID),
      seriesInstanceUID: String(header.SeriesInstanceUID),
    },
    sopCommonModule: { sopClassUID: String(header.SOPClassUID), sopInstanceUID: String(header.SOPInstanceUID) },
  };
  const toolState = {
    [imageId]: {
      Length: {
        data: lengths.map((l) => ({
          handles: { start: { ...l.start }, end: { ...l.end } },
          length: l.lengthMm,
        })),
      },
    },
  };
  return writer.adapters.Cornerstone.MeasurementReport.generateReport(toolState, { get: (type) => modules[type] }, {})
    .dataset;
}

/** Part 10 bytes of a dataset, written by dcmjs. */
export function dcmjsPart10(dataset: NaturalDataset): Uint8Array {
  const bytes = writer.data.datasetToBuffer(dataset);
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}
