import { z } from 'zod';

/**
 * The parts of FHIR R4 resources memtape reads. Every field is optional, as most are in FHIR,
 * and fields not listed are ignored, so a valid resource from any system fits; a field of the
 * wrong type does not.
 */
const coding = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
export const codeableConcept = z.object({
  coding: z.array(coding).optional(),
  text: z.string().optional(),
});
const quantity = z.object({
  value: z.number().optional(),
  comparator: z.string().optional(),
  unit: z.string().optional(),
  code: z.string().optional(),
});
const reference = z.object({ reference: z.string().optional(), display: z.string().optional() });
const period = z.object({ start: z.string().optional(), end: z.string().optional() });

const observationValue = {
  valueQuantity: quantity.optional(),
  valueString: z.string().optional(),
  valueCodeableConcept: codeableConcept.optional(),
  valueBoolean: z.boolean().optional(),
  valueInteger: z.number().optional(),
  interpretation: z.array(codeableConcept).optional(),
  referenceRange: z
    .array(
      z.object({
        low: quantity.optional(),
        high: quantity.optional(),
        text: z.string().optional(),
      }),
    )
    .optional(),
};

export const observationResource = z.object({
  resourceType: z.literal('Observation'),
  id: z.string().optional(),
  code: codeableConcept.optional(),
  effectiveDateTime: z.string().optional(),
  effectivePeriod: period.optional(),
  issued: z.string().optional(),
  specimen: reference.optional(),
  performer: z.array(reference).optional(),
  ...observationValue,
  component: z
    .array(z.object({ code: codeableConcept.optional(), ...observationValue }))
    .optional(),
});
export type ObservationResource = z.infer<typeof observationResource>;
export type ObservationValue = Pick<ObservationResource, keyof typeof observationValue>;

export const conditionResource = z.object({
  resourceType: z.literal('Condition'),
  code: codeableConcept.optional(),
  clinicalStatus: codeableConcept.optional(),
  onsetDateTime: z.string().optional(),
  abatementDateTime: z.string().optional(),
  recordedDate: z.string().optional(),
});

export const medicationRequestResource = z.object({
  resourceType: z.literal('MedicationRequest'),
  status: z.string().optional(),
  medicationCodeableConcept: codeableConcept.optional(),
  medicationReference: reference.optional(),
  authoredOn: z.string().optional(),
  dosageInstruction: z.array(z.object({ text: z.string().optional() })).optional(),
  reasonCode: z.array(codeableConcept).optional(),
});

export const encounterResource = z.object({
  resourceType: z.literal('Encounter'),
  status: z.string().optional(),
  class: coding.optional(),
  type: z.array(codeableConcept).optional(),
  period: period.optional(),
  reasonCode: z.array(codeableConcept).optional(),
  serviceProvider: reference.optional(),
});

export const patientResource = z.object({
  resourceType: z.literal('Patient'),
  name: z
    .array(
      z.object({
        text: z.string().optional(),
        given: z.array(z.string()).optional(),
        family: z.string().optional(),
      }),
    )
    .optional(),
  gender: z.string().optional(),
  birthDate: z.string().optional(),
});

/** Any resource: what is read of it depends on its type. */
export const fhirResource = z.looseObject({ resourceType: z.string() });

export const fhirBundle = z.object({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.object({ resource: fhirResource.optional() })).optional(),
});
