/**
 * The measurement kinds' Cornerstone tools, and the conversions between a Cornerstone annotation
 * and the model: tool registration and configuration (probe label, text callbacks), points and
 * kind of an annotation, an image's plane and pixels from Cornerstone's cache, layer colours, and
 * Cornerstone's own ROI statistics. No per-viewport state: that is `ViewportAnnotations`.
 */
import { cache, getEnabledElement, metaData, type Types } from '@cornerstonejs/core';
import {
  addTool,
  annotation as annotationApi,
  AngleTool,
  ArrowAnnotateTool,
  BidirectionalTool,
  CobbAngleTool,
  EllipticalROITool,
  LabelTool,
  LengthTool,
  PlanarFreehandROITool,
  ProbeTool,
  RectangleROITool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import {
  measurementPixelValues,
  measurementValueParts,
  type MeasurementKind,
  type SlicePixels,
  type SlicePlane,
  type Vec3,
} from '@secondread/core';
import { pendingText } from './pending-text.js';

type Annotation = ToolTypes.Annotation;

/** Cornerstone tool for each measurement kind. */
export const TOOL_FOR_KIND: Readonly<Record<MeasurementKind, { toolName: string }>> = {
  length: LengthTool,
  angle: AngleTool,
  'cobb-angle': CobbAngleTool,
  bidirectional: BidirectionalTool,
  'ellipse-roi': EllipticalROITool,
  'rectangle-roi': RectangleROITool,
  'freehand-roi': PlanarFreehandROITool,
  probe: ProbeTool,
  arrow: ArrowAnnotateTool,
  label: LabelTool,
};

const KIND_FOR_TOOL = new Map(
  Object.entries(TOOL_FOR_KIND).map(([kind, tool]) => [tool.toolName, kind as MeasurementKind]),
);

let registered = false;

/**
 * Registers the measurement tools once, and keys annotations by viewport as well as frame of
 * reference, so that two readers' viewports on one series never show each other's work.
 */
export function registerAnnotationTools(): void {
  if (registered) return;
  registered = true;
  for (const tool of Object.values(TOOL_FOR_KIND)) addTool(tool);
  const manager = annotationApi.state.getAnnotationManager() as unknown as {
    getGroupKey: (selector: HTMLDivElement | string) => string;
  };
  const byFrame = manager.getGroupKey.bind(manager);
  manager.getGroupKey = (selector) => {
    if (typeof selector === 'string') return selector;
    const enabled = getEnabledElement(selector);
    return enabled ? `${byFrame(selector)}#${enabled.viewportId}` : byFrame(selector);
  };
}

export function toolConfiguration(kind: MeasurementKind): Record<string, unknown> {
  if (kind === 'arrow' || kind === 'label') {
    return {
      getTextCallback: (done: (text: string) => void) => done(pendingText()),
      // Text is edited in the measurement list; a double-click on the drawing keeps it as it is.
      changeTextCallback: (
        annotation: { data?: { text?: string; label?: string } },
        _e: unknown,
        done: (text: string) => void,
      ) => done(annotation.data?.text ?? annotation.data?.label ?? pendingText()),
    };
  }
  if (kind === 'probe') return { getTextLines: probeTextLines };
  return {};
}

/**
 * The probe's label on the image: the HU the model reads under it (`measurementPixelValues`),
 * worded as the list words it, so the image and the list say the same. Cornerstone's own label
 * (index and value) stays empty on a stack of this loader's images.
 */
function probeTextLines(data: { handles?: { points?: Types.Point3[] } }, targetId: string): string[] | undefined {
  const point = data.handles?.points?.[0];
  const imageId = targetId.startsWith('imageId:') ? targetId.slice('imageId:'.length) : undefined;
  const slice = imageId ? slicePixelsOfImage(imageId) : null;
  if (!point || !slice) return undefined;
  try {
    const [hu] = measurementValueParts(measurementPixelValues('probe', [vec(point)], slice), { kind: 'probe' });
    return hu ? [hu.text] : undefined;
  } catch {
    return undefined;
  }
}

/** An image's `imagePlaneModule` metadata, as far as the measurements read it. */
interface ImagePlaneModule {
  imagePositionPatient?: number[];
  rowCosines?: number[];
  columnCosines?: number[];
  rowPixelSpacing?: number;
  columnPixelSpacing?: number;
}

/** The plane of one image, from its metadata (null without position and orientation). */
export function imagePlaneOf(imageId: string): SlicePlane | null {
  const plane = metaData.get('imagePlaneModule', imageId) as ImagePlaneModule | undefined;
  if (!plane?.imagePositionPatient || !plane.rowCosines || !plane.columnCosines) return null;
  return {
    imagePositionPatient: vec(plane.imagePositionPatient),
    imageOrientationPatient: [
      ...plane.rowCosines,
      ...plane.columnCosines,
    ] as unknown as SlicePlane['imageOrientationPatient'],
  };
}

/** One image's pixels and geometry from Cornerstone's cache, or null before it is decoded. */
export function slicePixelsOfImage(imageId: string): SlicePixels | null {
  const image = cache.getImage(imageId);
  const plane = image ? imagePlaneOf(imageId) : null;
  if (!image || !plane) return null;
  const spacing = metaData.get('imagePlaneModule', imageId) as ImagePlaneModule;
  const scaled = Boolean(image.preScale?.scaled);
  return {
    ...plane,
    pixels: image.getPixelData(),
    rows: image.rows,
    columns: image.columns,
    pixelSpacingMm: [spacing.rowPixelSpacing ?? 1, spacing.columnPixelSpacing ?? 1],
    rescaleSlope: scaled ? 1 : (image.slope ?? 1),
    rescaleIntercept: scaled ? 0 : (image.intercept ?? 0),
  };
}

/**
 * A CSS colour as the SVG layer needs it: presentation attributes (`stroke`, `fill`) take no
 * `var()`, so `var(--ct-first-reader-color, #ffb454)` is resolved where the layer is, against the
 * custom properties the page gives the viewer. An invalid colour is passed on as it is.
 */
export function resolveCssColor(color: string, where: Element): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  if (!probe.style.color) return color;
  probe.style.display = 'none';
  where.appendChild(probe);
  try {
    return getComputedStyle(probe).color || color;
  } finally {
    probe.remove();
  }
}

/**
 * Styles that draw an annotation, lines and value label, in one colour in every state: hovered,
 * selected and locked included (Cornerstone's defaults turn them green, or its locked yellow).
 * Hover and selection show as a thicker line instead.
 */
export function layerColorStyles(color: string): Record<string, string> {
  const styles: Record<string, string> = { lineWidthHighlighted: '2', lineWidthSelected: '2' };
  for (const state of ['', 'Highlighted', 'Selected', 'Locked']) {
    styles[`color${state}`] = color;
    styles[`textBoxColor${state}`] = color;
  }
  return styles;
}

export const vec = (p: Types.Point3 | readonly number[]): Vec3 => [p[0], p[1], p[2]];

/** Model points from a Cornerstone annotation (see the point conventions of `Measurement`). */
export function pointsOf(kind: MeasurementKind, annotation: Annotation): Vec3[] {
  const data = annotation.data as { handles?: { points?: Types.Point3[] }; contour?: { polyline?: Types.Point3[] } };
  const handles = (data.handles?.points ?? []).map(vec);
  // Cornerstone keeps four rectangle corners and the freehand outline apart from its handles.
  if (kind === 'rectangle-roi') return handles.length === 4 ? [handles[0]!, handles[3]!] : handles;
  if (kind === 'freehand-roi') return (data.contour?.polyline ?? []).map(vec);
  // A label keeps a second handle for its text box: the measurement is the anchor point.
  if (kind === 'label' || kind === 'probe') return handles.slice(0, 1);
  return handles;
}

export function kindOf(annotation: Annotation): MeasurementKind | undefined {
  return KIND_FOR_TOOL.get(annotation.metadata?.toolName ?? '');
}

/** Cornerstone's own statistics of an ROI annotation (its `cachedStats`), in the model's units. */
export interface EngineRoiStatistics {
  readonly meanHu: number;
  readonly stdHu: number;
  readonly minHu: number;
  readonly maxHu: number;
  readonly areaMm2: number;
}

/**
 * What Cornerstone itself computed for an ellipse, rectangle or freehand ROI, to cross-check the
 * model's values (`measurementPixelValues`, `computeGeometry`). Null until Cornerstone has
 * rendered the annotation once (it computes `cachedStats` while rendering), and for other kinds.
 * `element` (the viewport's element) picks that viewport's copy when several show the measurement.
 */
export function engineRoiStatistics(annotationId: string, element?: HTMLDivElement): EngineRoiStatistics | null {
  const viewportId = element ? getEnabledElement(element)?.viewportId : undefined;
  const found =
    (viewportId ? annotationApi.state.getAnnotation(viewportAnnotationUid(annotationId, viewportId)) : undefined) ??
    annotationApi.state.getAnnotation(annotationId);
  const stats = (found?.data as { cachedStats?: Record<string, Record<string, unknown>> } | undefined)?.cachedStats;
  for (const entry of Object.values(stats ?? {})) {
    const { mean, stdDev, min, max, area } = entry;
    if ([mean, stdDev, min, max, area].every((value) => typeof value === 'number' && Number.isFinite(value))) {
      return {
        meanHu: mean as number,
        stdHu: stdDev as number,
        minHu: min as number,
        maxHu: max as number,
        areaMm2: area as number,
      };
    }
  }
  return null;
}

/**
 * Cornerstone's annotation UIDs are page-wide. A measurement shown in a second viewport (the
 * same JSON loaded twice, a first reading beside a second) gets its own UID there.
 */
export function viewportAnnotationUid(measurementId: string, viewportId: string): string {
  return `${measurementId}@${viewportId}`;
}
