import type { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import type { ObservationDraft, ParsedItem } from '../source-kind.ts';
import { deriveAbnormalFlag, readAbnormalFlag } from './abnormal-flag.ts';
import {
  type codeableConcept,
  conditionResource,
  encounterResource,
  fhirBundle,
  fhirResource,
  medicationRequestResource,
  type ObservationResource,
  type ObservationValue,
  observationResource,
  patientResource,
} from './fhir-schema.ts';
import {
  describeObservation,
  type HealthEntry,
  isoDay,
  latestDate,
  parseDate,
  renderHealthText,
} from './health-text.ts';
import { normalizeUnit } from './unit-normalize.ts';

type Concept = z.infer<typeof codeableConcept>;

/**
 * A FHIR R4 bundle (or one resource) to a health record: every Observation's measured values
 * (components too, as a blood pressure's two) as observations, and one readable line per
 * Patient, Observation, Condition, MedicationRequest and Encounter. Other resource types are
 * left in the raw item. A resource of a read type that does not fit R4 fails the item, naming
 * the entry and the field.
 */
export function parseFhirRecord(json: unknown, itemName: string): ParsedItem {
  const resource = fhirResource.safeParse(json);
  if (!resource.success) throw new ParseError(itemName, 'not a FHIR resource or bundle');
  let resources = [resource.data];
  if (resource.data.resourceType === 'Bundle') {
    const bundle = fhirBundle.safeParse(json);
    if (!bundle.success) throw new ParseError(itemName, 'FHIR Bundle without a valid entry list');
    resources = (bundle.data.entry ?? []).flatMap((entry) =>
      entry.resource ? [entry.resource] : [],
    );
  }

  const entries: HealthEntry[] = [];
  const observations: ObservationDraft[] = [];
  let patientName: string | undefined;
  resources.forEach((resource, index) => {
    const read = <T extends z.ZodType>(schema: T): z.infer<T> => {
      const parsed = schema.safeParse(resource);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new ParseError(
        itemName,
        `entry ${index} (${resource.resourceType}) is not valid FHIR R4: ${issue?.path.join('.')} ${issue?.message}`,
      );
    };
    switch (resource.resourceType) {
      case 'Observation': {
        const drafts = observationDrafts(read(observationResource), `entry ${index}`);
        observations.push(...drafts);
        for (const draft of drafts) {
          entries.push({ date: draft.observedAt, line: describeObservation(draft) });
        }
        break;
      }
      case 'Condition':
        entries.push(conditionEntry(read(conditionResource)));
        break;
      case 'MedicationRequest':
        entries.push(medicationEntry(read(medicationRequestResource)));
        break;
      case 'Encounter':
        entries.push(encounterEntry(read(encounterResource)));
        break;
      case 'Patient': {
        const patient = read(patientResource);
        const name = patient.name?.[0];
        patientName ??= name?.text ?? [...(name?.given ?? []), name?.family].join(' ').trim();
        const details = [patient.birthDate && `born ${patient.birthDate}`, patient.gender];
        entries.push({ line: ['Patient:', patientName, ...details].filter(Boolean).join(' ') });
        break;
      }
    }
  });
  if (entries.length === 0) {
    throw new ParseError(
      itemName,
      'FHIR document has no Patient, Observation, Condition, MedicationRequest or Encounter',
    );
  }
  return {
    title: patientName ? `Health record: ${patientName}` : 'Health record (FHIR)',
    occurredAt: latestDate(entries.map((entry) => entry.date)),
    text: renderHealthText(entries),
    observations,
  };
}

function observationDrafts(resource: ObservationResource, entryKey: string): ObservationDraft[] {
  const key = resource.id ? `Observation/${resource.id}` : entryKey;
  const shared = {
    observedAt: parseDate(
      resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.issued,
    ),
    specimen: resource.specimen?.display,
    lab: resource.performer?.[0]?.display,
  };
  const own = measuredValue(resource);
  const drafts: ObservationDraft[] = own
    ? [{ key, ...coded(resource.code), ...own, ...shared }]
    : [];
  (resource.component ?? []).forEach((component, index) => {
    const value = measuredValue(component);
    if (value) {
      drafts.push({
        key: `${key}/component ${index}`,
        ...coded(component.code),
        ...value,
        ...shared,
      });
    }
  });
  return drafts;
}

/** The analyte's name and its LOINC code, or its first code when it has no LOINC one. */
function coded(concept: Concept | undefined): { analyte: string; code?: string } {
  const codings = concept?.coding ?? [];
  const coding = codings.find((each) => each.system === 'http://loinc.org') ?? codings[0];
  return {
    analyte: concept?.text ?? coding?.display ?? coding?.code ?? 'Unnamed observation',
    code: coding?.code,
  };
}

type MeasuredValue = Omit<ObservationDraft, 'key' | 'analyte' | 'code'>;

function measuredValue(value: ObservationValue): MeasuredValue | undefined {
  const measured = readValue(value);
  if (!measured) return undefined;
  const range = value.referenceRange?.[0];
  const low = range?.low?.value;
  const high = range?.high?.value;
  const printedRange =
    low !== undefined && high !== undefined
      ? `${low}-${high}`
      : low !== undefined
        ? `>=${low}`
        : high !== undefined
          ? `<=${high}`
          : undefined;
  const interpretation = value.interpretation?.[0];
  const reportedFlag = readAbnormalFlag(
    interpretation?.coding?.[0]?.code ?? interpretation?.text ?? '',
  );
  return {
    ...measured,
    referenceLow: low,
    referenceHigh: high,
    referenceText: range?.text ?? printedRange,
    abnormalFlag: reportedFlag ?? deriveAbnormalFlag(measured.valueNumber, low, high),
  };
}

function readValue(value: ObservationValue): MeasuredValue | undefined {
  const quantity = value.valueQuantity;
  if (quantity?.value !== undefined) {
    const unit = normalizeUnit(quantity.unit ?? quantity.code);
    // "<5": a bound, not a measurement; kept as printed rather than as a number.
    return quantity.comparator
      ? { valueText: `${quantity.comparator}${quantity.value}`, unit }
      : { valueNumber: quantity.value, unit };
  }
  if (value.valueInteger !== undefined) return { valueNumber: value.valueInteger };
  const text =
    value.valueString ??
    conceptName(value.valueCodeableConcept) ??
    (value.valueBoolean === undefined ? undefined : String(value.valueBoolean));
  return text === undefined ? undefined : { valueText: text };
}

function conceptName(concept: Concept | undefined): string | undefined {
  return concept?.text ?? concept?.coding?.find((coding) => coding.display)?.display;
}

function conceptNames(concepts: readonly Concept[] | undefined): string | undefined {
  const names = (concepts ?? []).map(conceptName).filter(Boolean);
  return names.length > 0 ? names.join(', ') : undefined;
}

function conditionEntry(condition: z.infer<typeof conditionResource>): HealthEntry {
  const status =
    conceptName(condition.clinicalStatus) ?? condition.clinicalStatus?.coding?.[0]?.code;
  const abated = parseDate(condition.abatementDateTime);
  const notes = [status, abated && `resolved ${isoDay(abated)}`].filter(Boolean);
  return {
    date: parseDate(condition.onsetDateTime ?? condition.recordedDate),
    line: `Condition: ${conceptName(condition.code) ?? 'unnamed'}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`,
  };
}

function medicationEntry(request: z.infer<typeof medicationRequestResource>): HealthEntry {
  const name =
    conceptName(request.medicationCodeableConcept) ??
    request.medicationReference?.display ??
    'unnamed medication';
  const dosage = request.dosageInstruction
    ?.map((dose) => dose.text)
    .filter(Boolean)
    .join('; ');
  const reason = conceptNames(request.reasonCode);
  return {
    date: parseDate(request.authoredOn),
    line: [
      `Medication${request.status ? ` (${request.status})` : ''}: ${name}`,
      dosage,
      reason && `for ${reason}`,
    ]
      .filter(Boolean)
      .join(', '),
  };
}

function encounterEntry(encounter: z.infer<typeof encounterResource>): HealthEntry {
  const kind = encounter.class?.display ?? encounter.class?.code;
  const reason = conceptNames(encounter.reasonCode);
  return {
    date: parseDate(encounter.period?.start),
    line: [
      `Encounter${kind ? ` (${kind})` : ''}: ${conceptNames(encounter.type) ?? 'visit'}`,
      reason && `for ${reason}`,
      encounter.serviceProvider?.display && `at ${encounter.serviceProvider.display}`,
    ]
      .filter(Boolean)
      .join(', '),
  };
}
