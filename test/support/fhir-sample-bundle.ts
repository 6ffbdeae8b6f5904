/** A small FHIR R4 bundle in the shape Synthea and EHR exports write, for tests and fuzz seeds. */
const loinc = (code: string, display: string) => ({
  coding: [{ system: 'http://loinc.org', code, display }],
});

export const fhirSampleBundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    {
      resource: {
        resourceType: 'Patient',
        id: 'p1',
        name: [{ given: ['Ana'], family: 'Silva' }],
        gender: 'female',
        birthDate: '1970-02-03',
      },
    },
    {
      resource: {
        resourceType: 'Encounter',
        id: 'e1',
        status: 'finished',
        class: { code: 'AMB' },
        type: [{ text: 'General examination' }],
        period: { start: '2021-03-01T09:00:00Z' },
        reasonCode: [{ text: 'Diabetes follow-up' }],
        serviceProvider: { display: 'Harbor Clinic' },
      },
    },
    {
      resource: {
        resourceType: 'Observation',
        id: 'hba1c-2021',
        status: 'final',
        code: loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
        effectiveDateTime: '2021-03-01T09:30:00Z',
        valueQuantity: { value: 7.2, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
        referenceRange: [{ low: { value: 4 }, high: { value: 5.6 } }],
        interpretation: [{ coding: [{ code: 'H' }] }],
        specimen: { display: 'Whole blood' },
        performer: [{ display: 'Harbor Lab' }],
      },
    },
    {
      resource: {
        resourceType: 'Observation',
        id: 'glucose-2023',
        code: { ...loinc('2339-0', 'Glucose'), text: 'Fasting glucose' },
        effectiveDateTime: '2023-05-02',
        valueQuantity: { value: 5.4, unit: 'mmol/l' },
        referenceRange: [{ low: { value: 3.9 }, high: { value: 5.5 } }],
      },
    },
    {
      resource: {
        resourceType: 'Observation',
        id: 'bp',
        code: loinc('85354-9', 'Blood pressure panel'),
        effectiveDateTime: '2023-05-02',
        component: [
          {
            code: loinc('8480-6', 'Systolic blood pressure'),
            valueQuantity: { value: 142, unit: 'mm[Hg]' },
          },
          {
            code: loinc('8462-4', 'Diastolic blood pressure'),
            valueQuantity: { value: 88, unit: 'mmHg' },
          },
        ],
      },
    },
    {
      resource: {
        resourceType: 'Observation',
        id: 'smoking',
        code: loinc('72166-2', 'Tobacco smoking status'),
        effectiveDateTime: '2023-05-02',
        valueCodeableConcept: { coding: [{ display: 'Never smoked tobacco' }] },
      },
    },
    {
      resource: {
        resourceType: 'Condition',
        code: { text: 'Type 2 diabetes mellitus' },
        clinicalStatus: { coding: [{ code: 'active' }] },
        onsetDateTime: '2020-11-05',
      },
    },
    {
      resource: {
        resourceType: 'MedicationRequest',
        status: 'active',
        medicationCodeableConcept: { text: 'Metformin 500 MG Oral Tablet' },
        authoredOn: '2020-11-05',
        dosageInstruction: [{ text: 'twice daily with meals' }],
        reasonCode: [{ text: 'Type 2 diabetes mellitus' }],
      },
    },
    { resource: { resourceType: 'Claim', id: 'c1', total: { value: 120 } } },
  ],
};
