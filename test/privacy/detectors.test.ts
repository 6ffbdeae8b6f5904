import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  detectPersonalData,
  personalDataDetectors,
} from '../../src/privacy/redaction/detect-personal-data.ts';
import type { Detector } from '../../src/privacy/redaction/detection.ts';
import { dateOfBirthDetector } from '../../src/privacy/redaction/detectors/date-of-birth.ts';
import { emailDetector } from '../../src/privacy/redaction/detectors/email.ts';
import { ibanDetector } from '../../src/privacy/redaction/detectors/iban.ts';
import { ipAddressDetector } from '../../src/privacy/redaction/detectors/ip-address.ts';
import { medicalIdDetector } from '../../src/privacy/redaction/detectors/medical-id.ts';
import { nationalIdDetector } from '../../src/privacy/redaction/detectors/national-id.ts';
import { paymentCardDetector } from '../../src/privacy/redaction/detectors/payment-card.ts';
import { phoneDetector } from '../../src/privacy/redaction/detectors/phone.ts';

const values = (detector: Detector, text: string) => detector.detect(text).map((d) => d.value);

/** Each positive must be found exactly as written; each near miss must yield nothing. */
function check(detector: Detector, positives: [string, string][], nearMisses: string[]) {
  for (const [text, value] of positives) {
    test(`finds ${JSON.stringify(value)} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(values(detector, text), [value]);
    });
  }
  for (const text of nearMisses) {
    test(`finds nothing in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(values(detector, text), []);
    });
  }
}

describe('email', () => {
  check(
    emailDetector,
    [
      ['write to Jane.Doe+memo@mail.Example.co.uk, thanks', 'Jane.Doe+memo@mail.Example.co.uk'],
      ['<bob_smith@example.org>', 'bob_smith@example.org'],
      ['José: josé.núñez@correo.es.', 'josé.núñez@correo.es'],
    ],
    ['user@localhost', 'twitter @handle here', 'a@b.c', 'name@ example.com', '1.2@3.45'],
  );
  test('canonical form is lower case, so copies share a token', () => {
    assert.equal(emailDetector.detect('Bob@Example.COM')[0]?.canonical, 'bob@example.com');
  });
});

describe('phone (US default region)', () => {
  check(
    phoneDetector('US'),
    [
      ['call (415) 555-2671 today', '(415) 555-2671'],
      ['London: +44 20 7946 0958.', '+44 20 7946 0958'],
      ['cell 212.555.0142', '212.555.0142'],
    ],
    ['order 1234567890 shipped', 'in 2019-05-14 at 10:30', 'zip 94103', 'call 555-0142'],
  );
  test('writings of one number share the E.164 canonical form', () => {
    const detector = phoneDetector('US');
    assert.equal(detector.detect('(415) 555-2671')[0]?.canonical, '+14155552671');
    assert.equal(detector.detect('+1 415 555 2671')[0]?.canonical, '+14155552671');
  });
});

describe('US social security number', () => {
  check(
    nationalIdDetector,
    [
      ['SSN 123-45-6789 on file', '123-45-6789'],
      ['ssn: 999-12-3456', '999-12-3456'],
      ['Social Security Number: 078051120', '078051120'],
      ['id 536 22 1234 x', '536 22 1234'],
    ],
    [
      'id 000-12-3456',
      'id 666-12-3456',
      'id 912-12-3456',
      '123-00-4567',
      '123-45-0000',
      '123-45-67890',
      '123-45 6789',
    ],
  );
});

describe('medical record / patient id', () => {
  check(
    medicalIdDetector,
    [
      ['MRN: 00123456', '00123456'],
      ['Patient ID A-99812 admitted', 'A-99812'],
      ['Medical Record Number #7781X', '7781X'],
    ],
    ['MRN pending', 'Patient ID: unknown', 'the patient identified 12345 issues'],
  );
});

describe('payment card', () => {
  check(
    paymentCardDetector,
    [
      ['visa 4111 1111 1111 1111 exp', '4111 1111 1111 1111'],
      ['amex 378282246310005.', '378282246310005'],
      ['mc 5555-5555-5555-4444', '5555-5555-5555-4444'],
    ],
    [
      'visa 4111 1111 1111 1112',
      'order 1234567812345670',
      'tracking 9400100000000000000000',
      '4111-1111-1111',
    ],
  );
});

describe('IBAN', () => {
  check(
    ibanDetector,
    [
      ['pay to DE89 3704 0044 0532 0130 00 please', 'DE89 3704 0044 0532 0130 00'],
      ['IBAN GB82WEST12345698765432.', 'GB82WEST12345698765432'],
      ['to DE89 3704 0044 0532 0130 00 THEN', 'DE89 3704 0044 0532 0130 00'],
    ],
    ['DE89 3704 0044 0532 0130 01', 'GB82WEST12345698765433', 'AB12 CDEF GHIJ'],
  );
});

describe('date of birth (labelled)', () => {
  check(
    dateOfBirthDetector,
    [
      ['DOB: 03/14/1962', '03/14/1962'],
      ['Date of birth 14 March 1962.', '14 March 1962'],
      ['she was born on March 14, 1962 in Ohio', 'March 14, 1962'],
      ['Birthdate: 1962-03-14', '1962-03-14'],
    ],
    ['Collected 03/14/1962', 'meeting on March 14, 1962', 'DOB unknown', 'born in 1962'],
  );
});

describe('IP address', () => {
  check(
    ipAddressDetector,
    [
      ['from 192.168.1.20 port', '192.168.1.20'],
      ['host [10.0.0.255]', '10.0.0.255'],
      ['v6 2001:db8::8a2e:370:7334 ok', '2001:db8::8a2e:370:7334'],
      ['loopback ::1 only', '::1'],
    ],
    ['version 1.2.3.4.5', 'value 256.1.1.1', 'at 12:30:45', 'ratio 1.2.3', 'C++ std::vector'],
  );
});

describe('all detectors together', () => {
  test('overlaps resolve to one detection, the labelled id before a look-alike phone', () => {
    const detections = detectPersonalData(
      'MRN: 4155552671, mail ann@example.com or call (415) 555-2672.',
      personalDataDetectors('US'),
    );
    assert.deepEqual(
      detections.map((d) => [d.kind, d.value]),
      [
        ['medical-id', '4155552671'],
        ['email', 'ann@example.com'],
        ['phone', '(415) 555-2672'],
      ],
    );
  });
});
