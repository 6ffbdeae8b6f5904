/**
 * Deterministic synthetic mailbox for the demo, end-to-end tests and benchmarks.
 *
 * One owner (Dana Whitfield, work and personal addresses) corresponds with a small cast at a
 * few companies about ~16 recurring topics. Every thread opener carries freshly drawn details
 * (dates, amounts, codes, rooms) so that different messages state different facts, and the
 * generator returns question/answer pairs tied to the message that states them.
 *
 * Everything comes from one seeded PRNG and fixed tables, never the clock or Math.random, so
 * the same options always produce byte-identical output.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mulberry32 } from './seeded-random.ts';

export type MessageKind = 'original' | 'reply' | 'forward' | 'exact-duplicate' | 'near-duplicate';

export interface GeneratedMessage {
  fileName: string;
  eml: string;
  messageId: string;
  threadId: string;
  /** messageId of the original when this is an exact or near duplicate. */
  duplicateOf?: string;
  kind: MessageKind;
}

export interface MailboxFact {
  question: string;
  /** The thread opener that first states the answer; later messages of its thread may quote it. */
  answerMessageId: string;
  answerText: string;
}

export interface GeneratedMailbox {
  messages: GeneratedMessage[];
  facts: MailboxFact[];
}

export interface MailboxOptions {
  count: number;
  seed?: number;
  /** Share of messages that are exact or near duplicates of an earlier message. */
  duplicateRate?: number;
}

const DEFAULT_SEED = 20240601;
const DEFAULT_DUPLICATE_RATE = 0.1;
const MAX_FACTS = 20;
const HTML_RATE = 0.1;
const FORWARD_RATE = 0.12;
const SCRIPTED_REPLY_RATE = 0.75;
const THREAD_LENGTHS = [2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8] as const;

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAILBOX_START = Date.UTC(2023, 0, 2);
const MAILBOX_DAYS = 730;

const CRLF = '\r\n';
/** Marks spaces inside a detail that line wrapping must not break, so answers stay greppable. */
const NBSP = '\u00a0';
const WRAP_WIDTH = 72;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

interface Rng {
  next(): number;
  /** Inclusive on both ends. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** Long lists of single words read better as one string. */
const words = (text: string): readonly string[] => text.split(' ');

function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} outside list of ${items.length}`);
  return item;
}

function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => nth(items, Math.floor(next() * items.length)),
  };
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [copy[i], copy[j]] = [nth(copy, j), nth(copy, i)];
  }
  return copy;
}

function code(rng: Rng, length: number): string {
  // No 0/O or 1/I: booking references avoid characters people misread.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(rng.int(0, alphabet.length - 1));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cast

interface Company {
  name: string;
  domain: string;
  /** Minutes east of UTC, fixed all year: daylight saving adds nothing for test data. */
  utcOffset: number;
  /** Gmail quotes below "On … wrote:"; Outlook puts the reply above "-----Original Message-----". */
  mailer: 'gmail' | 'outlook';
  formal: boolean;
  /** Private correspondents sign with a first name only. */
  personal: boolean;
  /** Appended by the company's mail gateway to every outgoing message, replies included. */
  disclaimer?: string;
}

interface Person {
  name: string;
  first: string;
  email: string;
  company: Company;
  title: string;
  phone: string;
}

const NORTHWIND: Company = {
  name: 'Northwind Labs',
  domain: 'northwindlabs.example',
  utcOffset: -300,
  mailer: 'gmail',
  formal: false,
  personal: false,
};
const HALCYON: Company = {
  name: 'Halcyon Bank plc',
  domain: 'halcyonbank.example',
  utcOffset: 0,
  mailer: 'outlook',
  formal: true,
  personal: false,
  disclaimer:
    'CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended ' +
    'solely for the addressee. If you have received it in error, please notify the sender ' +
    'immediately and delete it; do not copy, forward or disclose its contents. Halcyon Bank ' +
    'plc is authorised by the Prudential Regulation Authority and regulated by the Financial ' +
    'Conduct Authority. Registered in England and Wales No. 04817263. Registered office: ' +
    '1 Lantern Yard, London EC2V 7QP.',
};
const KESTREL: Company = {
  name: 'Kestrel Logistics B.V.',
  domain: 'kestrel-logistics.example',
  utcOffset: 60,
  mailer: 'outlook',
  formal: false,
  personal: false,
};
const BRIGHTPATH: Company = {
  name: 'Brightpath Travel',
  domain: 'brightpath-travel.example',
  utcOffset: -300,
  mailer: 'gmail',
  formal: true,
  personal: false,
};
const MERIDIAN: Company = {
  name: 'Meridian Health',
  domain: 'meridianhealth.example',
  utcOffset: -300,
  mailer: 'outlook',
  formal: true,
  personal: false,
};
const ELM_COURT: Company = {
  name: 'Elm Court Property Management',
  domain: 'elmcourt.example',
  utcOffset: -300,
  mailer: 'gmail',
  formal: true,
  personal: false,
};
const PERSONAL: Company = {
  name: 'personal',
  domain: 'mailbox.example',
  utcOffset: -300,
  mailer: 'gmail',
  formal: false,
  personal: true,
};

const ASCII_FOLDS: Record<string, string> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ı: 'i', ß: 'ss' };

/** Addresses and file names are ASCII; NFKD alone leaves letters like ł and ø untouched. */
function asciiFold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁøØıß]/g, (char) => ASCII_FOLDS[char] ?? char);
}

// Display names avoid RFC 5322 specials (. , " etc.) so they never need quoting in headers.
function person(
  company: Company,
  name: string,
  title: string,
  phone: string,
  local?: string,
): Person {
  const first = name.split(' ')[0] ?? name;
  const address =
    local ??
    asciiFold(name)
      .toLowerCase()
      .replaceAll("'", '')
      .replace(/[^a-z]+/g, '.');
  return { name, first, email: `${address}@${company.domain}`, company, title, phone };
}

const P = {
  dana: person(NORTHWIND, 'Dana Whitfield', 'Director of Product', '+1 212 555 0147'),
  danaHome: person(PERSONAL, 'Dana Whitfield', '', '', 'dana.whitfield'),
  marcus: person(NORTHWIND, 'Marcus Chen', 'Engineering Manager', '+1 212 555 0163'),
  priya: person(NORTHWIND, 'Priya Raman', 'Staff Engineer', '+1 212 555 0178'),
  zoe: person(NORTHWIND, 'Zoë Müller', 'Senior Product Designer', '+1 212 555 0181'),
  tom: person(NORTHWIND, 'Tom Okafor', 'Head of Finance', '+1 212 555 0112'),
  hannah: person(NORTHWIND, 'Hannah Lindqvist', 'Talent Partner', '+1 212 555 0125'),
  jose: person(NORTHWIND, 'José Álvarez', 'Solutions Engineer', '+1 212 555 0139'),
  grace: person(NORTHWIND, 'Grace Kim', 'Marketing Lead', '+1 212 555 0154'),
  ben: person(NORTHWIND, 'Ben Carter', 'IT and Workplace Manager', '+1 212 555 0106'),
  soren: person(NORTHWIND, 'Søren Kjær', 'Security Engineer', '+1 212 555 0190'),
  olivia: person(NORTHWIND, 'Olivia Brennan', 'Executive Assistant', '+1 212 555 0101'),
  rafael: person(NORTHWIND, 'Rafael Costa', 'Customer Success Manager', '+1 212 555 0170'),
  margaret: person(HALCYON, 'Margaret Ashford', 'VP Vendor Management', '+44 20 7946 0321'),
  chloe: person(HALCYON, 'Chloé Dubois', 'Accounts Payable Specialist', '+44 20 7946 0388'),
  daniel: person(HALCYON, 'Daniel Reyes', 'Procurement Manager', '+44 20 7946 0342'),
  ayse: person(KESTREL, 'Ayşe Yılmaz', 'Operations Director', '+31 10 555 0192'),
  kevin: person(KESTREL, "Kevin O'Neill", 'IT Lead', '+31 10 555 0147'),
  lena: person(KESTREL, 'Lena Fischer', 'Support Coordinator', '+31 10 555 0118'),
  isabel: person(BRIGHTPATH, 'Isabel Moreau', 'Corporate Travel Consultant', '+1 212 555 0133'),
  samir: person(BRIGHTPATH, 'Samir Patel', 'Travel Desk', '+1 212 555 0134'),
  clinic: person(
    MERIDIAN,
    'Meridian Health Appointments',
    'Patient Services',
    '+1 212 555 0160',
    'appointments',
  ),
  nadia: person(MERIDIAN, 'Nadia Haddad', 'General Practitioner', '+1 212 555 0161'),
  hiro: person(ELM_COURT, 'Hiro Tanaka', 'Building Manager', '+1 212 555 0199'),
  jamie: person(PERSONAL, 'Jamie Whitfield', '', ''),
  lukasz: person(PERSONAL, 'Łukasz Wójcik', '', ''),
  maya: person(PERSONAL, 'Maya Rosen', '', ''),
};

// ---------------------------------------------------------------------------------------------
// Dates and numbers as they appear in mail

const WEEKDAYS = words('Sunday Monday Tuesday Wednesday Thursday Friday Saturday');
const MONTHS = words(
  'January February March April May June July August September October November December',
);

interface WallClock {
  weekday: string;
  day: number;
  month: string;
  year: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, utcOffset: number): WallClock {
  const local = new Date(ms + utcOffset * MINUTE);
  return {
    weekday: nth(WEEKDAYS, local.getUTCDay()),
    day: local.getUTCDate(),
    month: nth(MONTHS, local.getUTCMonth()),
    year: local.getUTCFullYear(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

function clock12(hour: number, minute: number): string {
  return `${hour % 12 || 12}:${pad2(minute)} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** RFC 5322 date-time, e.g. "Thu, 14 Mar 2024 09:32:10 +0100". */
function rfc2822Date(ms: number, utcOffset: number): string {
  const t = wallClock(ms, utcOffset);
  const sign = utcOffset < 0 ? '-' : '+';
  const zone = `${sign}${pad2(Math.floor(Math.abs(utcOffset) / 60))}${pad2(Math.abs(utcOffset) % 60)}`;
  const time = `${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}`;
  return `${t.weekday.slice(0, 3)}, ${t.day} ${t.month.slice(0, 3)} ${t.year} ${time} ${zone}`;
}

/** As in Gmail's reply attribution: "Thu, 14 Mar 2024 at 09:32". */
function attributionDate(ms: number, utcOffset: number): string {
  const t = wallClock(ms, utcOffset);
  const day = `${t.weekday.slice(0, 3)}, ${t.day} ${t.month.slice(0, 3)} ${t.year}`;
  return `${day} at ${pad2(t.hour)}:${pad2(t.minute)}`;
}

/** As in Gmail's forward header: "Thu, Mar 14, 2024 at 9:32 AM". */
function forwardDate(ms: number, utcOffset: number): string {
  const t = wallClock(ms, utcOffset);
  const day = `${t.weekday.slice(0, 3)}, ${t.month.slice(0, 3)} ${t.day}, ${t.year}`;
  return `${day} at ${clock12(t.hour, t.minute)}`;
}

/** As in Outlook's "Sent:" line: "Thursday, March 14, 2024 9:32 AM". */
function outlookDate(ms: number, utcOffset: number): string {
  const t = wallClock(ms, utcOffset);
  return `${t.weekday}, ${t.month} ${t.day}, ${t.year} ${clock12(t.hour, t.minute)}`;
}

/** Calendar dates in body text, e.g. "Thursday 14 March 2024". */
function longDate(ms: number): string {
  const t = wallClock(ms, 0);
  return `${t.weekday} ${t.day} ${t.month} ${t.year}`;
}

function shortDate(ms: number): string {
  const t = wallClock(ms, 0);
  return `${t.day} ${t.month}`;
}

function monthYear(ms: number): string {
  const t = wallClock(ms, 0);
  return `${t.month} ${t.year}`;
}

function weekday(ms: number): string {
  return wallClock(ms, 0).weekday;
}

/** A weekday `min`–`max` days after `from`: meetings and deadlines rarely land on weekends. */
function daysAfter(rng: Rng, from: number, min: number, max: number): number {
  const ms = from + rng.int(min, max) * DAY;
  const day = new Date(ms).getUTCDay();
  return day === 6 ? ms + 2 * DAY : day === 0 ? ms + DAY : ms;
}

function timeSlot(rng: Rng, firstHour: number, lastHour: number): string {
  return `${rng.int(firstHour, lastHour)}:${rng.pick(['00', '15', '30', '45'])}`;
}

function money(symbol: string, amount: number, withCents = false): string {
  const whole = Math.floor(amount);
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = withCents ? `.${pad2(Math.round((amount - whole) * 100))}` : '';
  return `${symbol}${grouped}${cents}`;
}

function room(rng: Rng): string {
  return `Room ${rng.int(2, 9)}.${pad2(rng.int(1, 40))}`;
}

/** Keeps a multi-word detail on one line when the paragraph is wrapped. */
function keep(text: string): string {
  return text.replaceAll(' ', NBSP);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Topics: each draws the details of one conversation and writes its opener and scripted replies

interface Attachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

interface ScriptedReply {
  from: Person;
  paragraphs: string[];
}

interface Scenario {
  topic: string;
  /** What the thread is about; a fact is only asked when its key is unique in the mailbox. */
  key: string;
  subject: string;
  /** The mailbox owner's identity in this conversation (work or personal address). */
  owner: Person;
  from: Person;
  to: Person[];
  cc: Person[];
  /** Someone outside the conversation the owner may forward it to. */
  forwardTo: Person;
  opening: string[];
  replies: ScriptedReply[];
  fact: { question: string; answer: string };
  attachment?: Attachment;
}

interface TopicContext {
  rng: Rng;
  /** Noon UTC of the day the thread starts; dates mentioned in the text are relative to it. */
  day: number;
}

type Topic = (t: TopicContext) => Scenario;

function csv(rows: readonly (readonly (string | number)[])[]): Uint8Array {
  return Buffer.from(`${rows.map((row) => row.join(',')).join('\r\n')}\r\n`);
}

/** Enough PDF structure (magic, binary marker, trailer) to be sniffed as a PDF; no pages. */
function tinyPdf(lines: string[]): Uint8Array {
  const comments = lines.map((line) => `% ${line}`).join('\n');
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n%'),
    Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
    Buffer.from(
      '\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
        '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
        `${comments}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    ),
  ]);
}

const CODENAMES = words(
  'Heron Atlas Juniper Falcon Cobalt Lumen Orchid Quartz Tidal Vesper Aurora Basalt Cedar Ember Fjord Garnet Harbor Jasper Lynx Nimbus Onyx Raven Sable Willow Zephyr Pelican',
);
const LAUNCH_RISKS = [
  'the data migration for accounts with more than 10,000 records',
  'the new billing webhooks, which have only been load-tested at half of peak',
  'single sign-on for customers still on the legacy identity provider',
  'localisation of the onboarding flow into German and Japanese',
  'the mobile app review, which Apple has not approved yet',
];

const launch: Topic = ({ rng, day }) => {
  const product = `${rng.pick(CODENAMES)} ${rng.int(1, 6)}.${rng.int(0, 9)}`;
  const goLive = longDate(daysAfter(rng, day, 14, 45));
  const flag = `${asciiFold(product).toLowerCase().replace(/\W+/g, '_')}_rollout`;
  const cohort = rng.int(12, 95);
  const percent = rng.pick([5, 10, 20, 25]);
  const from = rng.pick([P.marcus, P.dana]);
  return {
    topic: 'launch',
    key: product,
    subject: rng.pick([
      `${product} launch plan`,
      `${product} go-live checklist`,
      `Launch readiness: ${product}`,
    ]),
    owner: P.dana,
    from,
    to: from === P.dana ? [P.marcus, P.priya, P.zoe] : [P.dana, P.priya, P.zoe],
    cc: rng.chance(0.4) ? [P.grace] : [],
    forwardTo: P.rafael,
    opening: [
      rng.pick([
        `Quick update on ${product}: go-live is ${keep(goLive)}, provided the go/no-go review on the Monday before goes to plan.`,
        `We've locked ${keep(goLive)} as the go-live date for ${product}. Code freeze is three working days earlier and only release-blocker fixes go in after that.`,
        `After this morning's planning session, ${product} is set to go live on ${keep(goLive)}.`,
      ]),
      rng.pick([
        `${cohort} customers are in the early-access cohort. The rollout is gated behind the ${flag} flag and starts at ${percent}% of traffic, doubling daily while error rates stay flat.`,
        `Rollout plan: ${percent}% of traffic on day one behind ${flag}, with the ${cohort} early-access customers enabled first so we hear from people who already know the product.`,
      ]),
      rng.pick([
        `The main open risk is ${rng.pick(LAUNCH_RISKS)}. I'd like a named owner for that by Thursday.`,
        `Biggest open risk right now: ${rng.pick(LAUNCH_RISKS)}. If it isn't resolved by code freeze we ship with that part behind a separate flag.`,
      ]),
      `Go/no-go review is in ${keep(room(rng))} at ${timeSlot(rng, 9, 16)}. Please bring your checklist items and any blockers.`,
    ],
    replies: [
      {
        from: P.zoe,
        paragraphs: [
          `Design sign-off for the onboarding screens is done; the final specs are in Figma under "${product} / Release".`,
          'One ask: can we keep the old settings page reachable for a week after launch? A few early-access customers rely on it.',
        ],
      },
      {
        from: P.priya,
        paragraphs: [
          `Backend is feature-complete. The last load test peaked at ${rng.int(1200, 4800)} requests per second with p99 latency under ${rng.int(180, 450)} ms, so we have headroom.`,
        ],
      },
      {
        from: P.dana,
        paragraphs: [
          'Support is briefed. We will put an extra person on chat for the first 48 hours, and I have drafted macros for the three questions we expect most.',
        ],
      },
    ],
    fact: { question: `What is the go-live date for ${product}?`, answer: goLive },
  };
};

const DEPARTMENTS = [
  'marketing',
  'engineering',
  'customer success',
  'design',
  'sales',
  'people operations',
  'IT',
];
const BUDGET_LINES = [
  'Headcount',
  'Contractors',
  'Software and tooling',
  'Travel',
  'Events',
  'Training',
  'Hardware',
];

const budget: Topic = ({ rng, day }) => {
  const quarter = `Q${rng.int(1, 4)}`;
  const fiscalYear = `FY${wallClock(day, 0).year + rng.int(0, 1)}`;
  const department = rng.pick(DEPARTMENTS);
  const lines = shuffled(rng, BUDGET_LINES)
    .slice(0, 4)
    .map((line) => {
      const requested = rng.int(15, 260) * 1000;
      return { line, requested, approved: requested - rng.int(0, 6) * 2500 };
    });
  const requested = lines.reduce((sum, line) => sum + line.requested, 0);
  const approved = money(
    '$',
    lines.reduce((sum, line) => sum + line.approved, 0),
  );
  const biggestCut = lines.reduce((a, b) =>
    b.requested - b.approved > a.requested - a.approved ? b : a,
  );
  const costCenter = `CC-${rng.int(1000, 9999)}`;
  const attach = rng.chance(0.35);
  const key = `${quarter} ${fiscalYear} ${department}`;
  return {
    topic: 'budget',
    key,
    subject: rng.pick([
      `${quarter} ${fiscalYear} ${department} budget review`,
      `Budget review: ${department}, ${quarter} ${fiscalYear}`,
    ]),
    owner: P.dana,
    from: P.tom,
    to: [P.dana],
    cc: rng.chance(0.5) ? [P.marcus] : [],
    forwardTo: P.olivia,
    opening: [
      `Finance has finished the ${key} review (cost center ${costCenter}). The request was ${money('$', requested)} and the approved figure is ${approved}.`,
      biggestCut.approved < biggestCut.requested
        ? `Most of the gap is in ${biggestCut.line.toLowerCase()}: we approved what is already contracted and deferred the rest to next quarter's review.`
        : 'Everything was approved as submitted.',
      `From ${longDate(daysAfter(rng, day, 5, 20))} spend tracking moves to the new dashboard. Anything over ${money('$', rng.pick([5000, 10000, 25000]))} still needs a PO before the invoice arrives.`,
      attach
        ? 'The line-item breakdown is attached.'
        : 'The line-item breakdown is in the shared finance folder.',
    ],
    replies: [
      {
        from: P.dana,
        paragraphs: [
          `Thanks, that's workable. Can we move ${money('$', rng.int(5, 30) * 1000)} from travel into tooling? Tooling renewals land in the same quarter and travel is usually underspent.`,
        ],
      },
      {
        from: P.tom,
        paragraphs: [
          'That is fine as long as the total stays the same. I have updated the sheet; the new allocation is effective immediately.',
        ],
      },
      {
        from: P.dana,
        paragraphs: [
          'Great. I will let the team leads know their allocations by the end of the week.',
        ],
      },
    ],
    fact: { question: `What budget was approved for ${key}?`, answer: approved },
    ...(attach && {
      attachment: {
        fileName: `${asciiFold(key).toLowerCase().replace(/\W+/g, '-')}-budget.csv`,
        contentType: 'text/csv',
        content: csv([
          ['line', 'requested_usd', 'approved_usd'],
          ...lines.map((line) => [line.line, line.requested, line.approved]),
        ]),
      },
    }),
  };
};

const FIRST_NAMES = words(
  'Amélie Jonas Aisha Mateo Chiara Kwame Ingrid Tomás Mei Björn Fatima Noah Siobhan Arjun Elena Ravi Camille Dmitri Yuki Leila',
);
const LAST_NAMES = words(
  'Novak Okonkwo Fernández Larsen Bianchi Nakamura Haddad Kowalski Dubois Mensah Gallagher Iyer Petrov Sandoval Holm Nguyen Brandt Costa',
);
const ROLES = [
  'Senior Backend Engineer',
  'Product Designer',
  'Data Engineer',
  'Engineering Manager',
  'Product Manager',
  'Site Reliability Engineer',
  'Frontend Engineer',
];
const EMPLOYERS = ['Globex', 'Initech', 'Umbrella Analytics', 'Stark Freight', 'Acme Cloud'];

const candidateName = (rng: Rng): string => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;

const hiring: Topic = ({ rng, day }) => {
  const candidate = candidateName(rng);
  const role = rng.pick(ROLES);
  const onsite = longDate(daysAfter(rng, day, 3, 14));
  const interviewRoom = room(rng);
  const start = rng.int(9, 13);
  return {
    topic: 'hiring',
    key: candidate,
    subject: rng.pick([
      `Interview loop: ${candidate} (${role})`,
      `Onsite for ${candidate} - ${role}`,
    ]),
    owner: P.dana,
    from: P.hannah,
    to: [P.dana],
    cc: [rng.pick([P.priya, P.marcus])],
    forwardTo: P.olivia,
    opening: [
      `${candidate} is confirmed for the ${role} onsite on ${keep(onsite)}. We start at ${start}:00 in ${keep(interviewRoom)}, and I've booked the room until ${start + 4}:30.`,
      rng.pick([
        'Each session is 45 minutes with a 15-minute buffer. Scorecards are due in the applicant tracker within 24 hours, before the debrief.',
        'Please read the take-home submission before your session; it is linked from the candidate profile. Scorecards are due within 24 hours.',
      ]),
      `For context: ${candidate} is currently at ${rng.pick(EMPLOYERS)}, is targeting the ${money('$', rng.int(14, 22) * 10000)}–${money('$', rng.int(23, 28) * 10000)} band and has a ${rng.int(2, 12)}-week notice period.`,
    ],
    replies: [
      {
        from: P.dana,
        paragraphs: [
          'I can take the product sense session. Could we move me to the afternoon? I have a customer call that morning.',
        ],
      },
      {
        from: P.hannah,
        paragraphs: ['Done, you are now in the 14:00 slot. The calendar invite is updated.'],
      },
      {
        from: P.dana,
        paragraphs: [
          'Scorecard submitted: strong hire from me. Very clear thinking about trade-offs and good questions about how we measure success.',
        ],
      },
    ],
    fact: { question: `Which room is ${candidate}'s onsite interview in?`, answer: interviewRoom },
  };
};

const DESTINATIONS = [
  { city: 'Lisbon', carrier: 'TP', airport: 'LIS', hotel: 'Hotel Avenida Palace' },
  { city: 'Frankfurt', carrier: 'LH', airport: 'FRA', hotel: 'Roomers Frankfurt' },
  { city: 'London', carrier: 'BA', airport: 'LHR', hotel: 'The Hoxton Holborn' },
  { city: 'Paris', carrier: 'AF', airport: 'CDG', hotel: 'Hôtel Le Marais Bastille' },
  { city: 'Amsterdam', carrier: 'KL', airport: 'AMS', hotel: 'Pulitzer Amsterdam' },
  { city: 'Madrid', carrier: 'IB', airport: 'MAD', hotel: 'Hotel Urban' },
  { city: 'Copenhagen', carrier: 'SK', airport: 'CPH', hotel: 'Hotel Ottilia' },
  { city: 'Zurich', carrier: 'LX', airport: 'ZRH', hotel: 'Hotel Schweizerhof' },
  { city: 'Dublin', carrier: 'EI', airport: 'DUB', hotel: 'The Davenport' },
  { city: 'Tokyo', carrier: 'JL', airport: 'HND', hotel: 'Hotel Niwa Tokyo' },
  { city: 'Singapore', carrier: 'SQ', airport: 'SIN', hotel: 'Hotel Vagabond' },
  { city: 'Toronto', carrier: 'AC', airport: 'YYZ', hotel: 'The Drake Hotel' },
  { city: 'Chicago', carrier: 'UA', airport: 'ORD', hotel: 'The Robey' },
  { city: 'Austin', carrier: 'AA', airport: 'AUS', hotel: 'Hotel San José' },
];
const TRIP_PURPOSES = [
  'offsite',
  'customer visit',
  'board meeting',
  'sales kickoff',
  'partner workshop',
];

const travel: Topic = ({ rng, day }) => {
  const destination = rng.pick(DESTINATIONS);
  const trip = `${destination.city} ${rng.pick(TRIP_PURPOSES)}`;
  const flight = `${destination.carrier} ${rng.int(100, 9899)}`;
  const departure = longDate(daysAfter(rng, day, 10, 60));
  const confirmation = code(rng, 6);
  const nights = rng.int(2, 5);
  const rate = rng.int(160, 420);
  const attach = rng.chance(0.35);
  return {
    topic: 'travel',
    key: trip,
    subject: rng.pick([
      `Booking confirmed: ${trip}`,
      `Your itinerary: ${trip}`,
      `Travel for the ${trip}`,
    ]),
    owner: P.dana,
    from: rng.pick([P.isabel, P.samir]),
    to: [P.dana],
    cc: rng.chance(0.5) ? [P.olivia] : [],
    forwardTo: P.jamie,
    opening: [
      `Your flights for the ${trip} are booked. Outbound is ${keep(flight)} from JFK on ${keep(departure)}, departing at ${timeSlot(rng, 17, 22)} and arriving at ${destination.airport} the next morning; seat ${rng.int(3, 38)}${rng.pick(['A', 'C', 'D', 'F'])} is confirmed.`,
      `I have reserved ${nights} nights at ${destination.hotel}, confirmation code ${confirmation}. The corporate rate of ${money('$', rate)} per night includes breakfast and free cancellation until 48 hours before arrival.`,
      rng.pick([
        'The return is open for now. Let me know when your plans firm up and I will hold the best option.',
        `The return is booked for the last day of the trip. Total charged to the company card so far: ${money('$', rate * nights + rng.int(600, 2400))}.`,
      ]),
      ...(attach ? ['The full itinerary is attached as a PDF.'] : []),
    ],
    replies: [
      {
        from: P.dana,
        paragraphs: [
          'Thank you. Could you move the return to the Friday evening? Anything after 17:00 works, aisle seat if possible.',
        ],
      },
      {
        from: P.isabel,
        paragraphs: [
          'Done: the return is now on Friday evening with an aisle seat. The change fee was waived under the corporate fare. The updated itinerary is in your travel profile.',
        ],
      },
    ],
    fact: { question: `What is the flight number for the ${trip}?`, answer: flight },
    ...(attach && {
      attachment: {
        fileName: `itinerary-${confirmation}.pdf`,
        contentType: 'application/pdf',
        content: tinyPdf([
          `Itinerary ${confirmation}`,
          `${flight} JFK-${destination.airport} ${departure}`,
        ]),
      },
    }),
  };
};

const ESCALATIONS = [
  {
    summary: 'intermittent 502 errors from the shipment label API',
    short: 'label API errors',
    impact: 'shipments',
  },
  {
    summary: 'duplicate invoices in the billing export',
    short: 'duplicate invoices',
    impact: 'invoices',
  },
  {
    summary: 'tracking webhooks delayed by up to 40 minutes',
    short: 'delayed webhooks',
    impact: 'shipments',
  },
  {
    summary: 'failed SSO logins for users at the Rotterdam warehouse',
    short: 'SSO failures',
    impact: 'warehouse staff',
  },
  {
    summary: 'route optimisation jobs timing out overnight',
    short: 'route job timeouts',
    impact: 'delivery routes',
  },
  {
    summary: 'CSV imports silently dropping rows with accented characters',
    short: 'CSV import',
    impact: 'customer records',
  },
];

const escalation: Topic = ({ rng, day }) => {
  const issue = rng.pick(ESCALATIONS);
  const key = `${issue.short} escalation in ${monthYear(day)}`;
  const ticket = `SUP-${rng.int(10000, 99999)}`;
  const affected = money('', rng.int(40, 4800));
  return {
    topic: 'escalation',
    key,
    subject: rng.pick([
      `URGENT: ${issue.short} (${ticket})`,
      `Escalation - ${issue.short}`,
      `P1 ticket ${ticket}: ${issue.short}`,
    ]),
    owner: P.dana,
    from: rng.pick([P.ayse, P.kevin]),
    to: [P.rafael, P.dana],
    cc: [P.lena],
    forwardTo: P.jose,
    opening: [
      `Since ${timeSlot(rng, 6, 11)} CET on ${longDate(day)} we are seeing ${issue.summary}. So far ${affected} ${issue.impact} are affected and our teams are working around it by hand.`,
      `Our reference is ticket ${ticket}. Under our agreement this is a priority 1 issue and we expect an update within ${rng.pick([2, 4])} hours.`,
      'Please let us know who is leading this on your side and when we can expect a root cause.',
    ],
    replies: [
      {
        from: P.rafael,
        paragraphs: [
          "Thanks for flagging. Priya's team is on it and I will send you an update every two hours until it is resolved.",
        ],
      },
      {
        from: P.dana,
        paragraphs: [
          `We have found the cause: a connection pool limit was hit after Tuesday's deploy. The fix is rolling out now as build ${rng.int(7, 9)}.${rng.int(0, 9)}.${rng.int(1000, 9999)}.`,
        ],
      },
      {
        from: P.lena,
        paragraphs: [
          'Confirmed on our side, error rates are back to normal. We would still like a written root cause analysis for our quarterly review.',
        ],
      },
      {
        from: P.rafael,
        paragraphs: [
          `The RCA will be with you by ${longDate(daysAfter(rng, day, 3, 7))}. We are also adding an alert so we see this before you do next time.`,
        ],
      },
    ],
    fact: { question: `What is the ticket number for Kestrel's ${key}?`, answer: ticket },
  };
};

const CONFERENCES = [
  'DataConf Berlin',
  'Strata Summit London',
  'Journées Data Paris',
  'PyData Amsterdam',
  'SaaStr Europa',
  'Web Summit Lisbon',
  'KubeCon Europe',
  'Nordic AI Forum',
  'Jornadas Cloud Madrid',
  'Product Leaders Toronto',
];

const conference: Topic = ({ rng, day }) => {
  const event = `${rng.pick(CONFERENCES)} ${wallClock(day, 0).year + 1}`;
  const booth = `${rng.pick(['A', 'B', 'C', 'D', 'H'])}-${rng.int(100, 480)}`;
  return {
    topic: 'conference',
    key: event,
    subject: rng.pick([`${event} planning`, `${event}: booth, talk and hotel`]),
    owner: P.dana,
    from: P.grace,
    to: [P.dana, P.jose],
    cc: rng.chance(0.5) ? [P.olivia] : [],
    forwardTo: P.marcus,
    opening: [
      `We're confirmed as a ${rng.pick(['silver', 'gold', 'community'])} sponsor at ${event}. Our booth number is ${booth}, next to the main stage entrance.`,
      `The sponsorship is ${money('€', rng.int(8, 45) * 1000)} and includes ${rng.int(3, 8)} full passes and a ${rng.pick([20, 30, 40])}-minute talk slot on day ${rng.int(1, 2)}. José has offered to give the talk.`,
      `The organisers hold a room block at ${rng.pick(DESTINATIONS).hotel} until ${longDate(daysAfter(rng, day, 20, 60))}, group code ${code(rng, 5)}. Please book before then; last year the block sold out within a week.`,
    ],
    replies: [
      {
        from: P.jose,
        paragraphs: [
          'Happy to give the talk. Could we get the slot on day one? Day two clashes with the customer advisory board.',
        ],
      },
      {
        from: P.dana,
        paragraphs: [
          'Great news. Can we reuse last year’s booth backdrop, or does it need the new branding? If it needs reprinting we should order this month.',
        ],
      },
      {
        from: P.grace,
        paragraphs: [
          'It needs the new branding. I have asked the printer for a quote and will book the customer dinner for the first evening.',
        ],
      },
    ],
    fact: { question: `What booth number do we have at ${event}?`, answer: booth },
  };
};

const INVOICED_SERVICES = [
  'the platform subscription for the coming quarter',
  'implementation services, phase 2',
  'the premium support renewal',
  'an additional 250 seats',
  'the data residency add-on',
];

const invoice: Topic = ({ rng, day }) => {
  const year = wallClock(day, 0).year;
  const number = `INV-${year}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
  const po = `PO-${rng.int(100000, 999999)}`;
  const total = money('£', rng.int(2000, 95000) + rng.int(0, 99) / 100, true);
  const attach = rng.chance(0.35);
  return {
    topic: 'invoice',
    key: number,
    subject: rng.pick([`Invoice ${number}`, `Invoice ${number} for ${po}`]),
    owner: P.dana,
    from: P.tom,
    to: [P.chloe],
    cc: rng.chance(0.5) ? [P.dana, P.daniel] : [P.dana],
    forwardTo: P.olivia,
    opening: [
      attach
        ? `Please find attached invoice ${number} for ${rng.pick(INVOICED_SERVICES)}, referencing purchase order ${po}.`
        : `Invoice ${number} for ${rng.pick(INVOICED_SERVICES)} has been issued against purchase order ${po}; a copy is in your supplier portal.`,
      `The total due is ${total} including VAT, payable by ${keep(longDate(daysAfter(rng, day, 28, 32)))} under our 30-day terms. Bank details are unchanged from previous invoices.`,
      'If anything needs correcting on your side, let me know and I will reissue it the same day.',
    ],
    replies: [
      {
        from: P.chloe,
        paragraphs: [
          'Thank you. Before we can process this, the PO number needs to be in the header field of the invoice rather than in the notes. Could you please reissue it?',
        ],
      },
      {
        from: P.tom,
        paragraphs: ['Reissued with the PO in the header field; it is in the supplier portal now.'],
      },
      {
        from: P.chloe,
        paragraphs: [
          'The invoice has been matched and approved for our next payment run. Funds should arrive within three working days of that.',
        ],
      },
    ],
    fact: { question: `What is the total due on invoice ${number}?`, answer: total },
    ...(attach && {
      attachment: {
        fileName: `${number}.pdf`,
        contentType: 'application/pdf',
        content: tinyPdf([`Invoice ${number}`, `Purchase order ${po}`, `Total due ${total}`]),
      },
    }),
  };
};

const LAB_TESTS = [
  'lipid panel',
  'HbA1c test',
  'vitamin D test',
  'thyroid function test',
  'full blood count',
  'liver function test',
];

const labResults: Topic = ({ rng, day }) => {
  const test = rng.pick(LAB_TESTS);
  const key = `${test} follow-up in ${monthYear(day)}`;
  const reference = `MH-${rng.int(10000, 99999)}`;
  const appointment = daysAfter(rng, day, 2, 9);
  return {
    topic: 'lab',
    key,
    subject: rng.pick([
      `Reminder: your ${test} results are ready`,
      `Appointment reminder: ${test} follow-up`,
      `Your ${test} follow-up on ${shortDate(appointment)}`,
    ]),
    owner: P.danaHome,
    from: P.clinic,
    to: [P.danaHome],
    cc: [],
    forwardTo: P.jamie,
    opening: [
      `This is a reminder that your ${test} results are ready to review with Dr ${P.nadia.name}. Your follow-up appointment is on ${longDate(appointment)} at ${timeSlot(rng, 8, 16)} in Suite ${rng.int(100, 650)}, 410 Hudson Street.`,
      `Your appointment reference is ${reference}. Please quote it if you need to reschedule or when you call the front desk.`,
      rng.pick([
        'No preparation is needed for this visit. Please bring a list of any medication you are currently taking.',
        'We may repeat part of the test, so please do not eat for 10–12 hours beforehand; water is fine.',
      ]),
      'If you cannot attend, please let us know at least 24 hours in advance so we can offer the slot to another patient.',
    ],
    replies: [
      {
        from: P.danaHome,
        paragraphs: [
          'Thank you. Is there anything earlier that week? The time clashes with a work meeting.',
        ],
      },
      {
        from: P.clinic,
        paragraphs: [
          `We have moved your appointment to ${longDate(appointment - DAY)} at 8:15. Your reference number stays the same.`,
        ],
      },
    ],
    fact: { question: `What is the appointment reference for the ${key}?`, answer: reference },
  };
};

const MEETINGS = [
  'roadmap review',
  'architecture review',
  'pricing council',
  'quarterly business review',
  'design critique',
  'all-hands rehearsal',
  'customer advisory board prep',
];
const AGENDA_ITEMS = [
  'last quarter in numbers',
  'top customer requests',
  'hiring plan',
  'pricing experiments',
  'platform reliability',
  'competitive landscape',
  'open decisions',
];

const meeting: Topic = ({ rng, day }) => {
  const date = daysAfter(rng, day, 5, 20);
  const name = `Q${Math.floor(new Date(date).getUTCMonth() / 3) + 1} ${wallClock(date, 0).year} ${rng.pick(MEETINGS)}`;
  const pin = `${rng.int(100000, 999999)}#`;
  const agenda = shuffled(rng, AGENDA_ITEMS).slice(0, 3);
  return {
    topic: 'meeting',
    key: name,
    subject: rng.pick([`${name} - logistics`, `Logistics for the ${name}`]),
    owner: P.dana,
    from: P.olivia,
    to: [P.dana, P.marcus, P.priya, P.grace],
    cc: [],
    forwardTo: P.tom,
    opening: [
      `The ${name} is on ${longDate(date)} from ${timeSlot(rng, 9, 14)} in ${keep(room(rng))}. Lunch will be delivered at 12:30.`,
      `For remote attendees the dial-in is +1 646 555 0${rng.int(100, 199)}, PIN ${pin}. Please join five minutes early; the room system takes a moment to connect.`,
      `Agenda: ${agenda.join(', ')}. Pre-reads go out ${rng.int(2, 4)} days before.`,
    ],
    replies: [
      {
        from: P.marcus,
        paragraphs: [
          'Can we swap the order so pricing comes first? Finance can only stay for the first hour.',
        ],
      },
      {
        from: P.olivia,
        paragraphs: [
          'Updated the agenda in the invite. Pre-reads are in the shared folder as usual.',
        ],
      },
      { from: P.priya, paragraphs: ['I will be remote that day; the dial-in works for me.'] },
    ],
    fact: { question: `What is the dial-in PIN for the ${name}?`, answer: pin },
  };
};

const contract: Topic = ({ rng, day }) => {
  const reference = `HB-MSA-${rng.int(1000, 9999)}`;
  const seats = rng.int(3, 18) * 50;
  const current = rng.int(40, 160) * 1000;
  const proposed = money('£', current + rng.int(4, 30) * 1000);
  const counter = money('£', current + rng.int(1, 3) * 1000);
  const term = rng.int(2, 3);
  return {
    topic: 'contract',
    key: reference,
    subject: rng.pick([`Renewal of contract ${reference}`, `${reference} renewal proposal`]),
    owner: P.dana,
    from: P.daniel,
    to: [P.dana],
    cc: rng.chance(0.6) ? [P.margaret, P.tom] : [P.margaret],
    forwardTo: P.olivia,
    opening: [
      `As contract ${reference} comes up for renewal on ${longDate(daysAfter(rng, day, 45, 90))}, I am writing with our proposal for the next term.`,
      `We would like to renew for ${term} years at ${seats} seats. Our proposed annual price is ${proposed}, compared with ${money('£', current)} under the current term, reflecting the higher seat count and the multi-year commitment.`,
      `Please note that under clause 14.2 either party must give notice of non-renewal by ${longDate(daysAfter(rng, day, 20, 40))}. We would appreciate a response before then.`,
    ],
    replies: [
      {
        from: P.dana,
        paragraphs: [
          `Thank you for the proposal. ${term} years works for us, but we cannot hold last year's discount at that seat count. Could we meet at ${counter}?`,
        ],
      },
      {
        from: P.margaret,
        paragraphs: [
          `We can accept ${counter} provided the service credits in schedule 3 stay as they are. I will ask legal to prepare the amendment.`,
        ],
      },
      {
        from: P.tom,
        paragraphs: ['Amendment received and countersigned. I have updated the revenue forecast.'],
      },
    ],
    fact: {
      question: `What annual price did Halcyon Bank propose for renewing contract ${reference}?`,
      answer: proposed,
    },
  };
};

const INCIDENT_SERVICES = [
  'ingest API',
  'search service',
  'billing worker',
  'SSO gateway',
  'export queue',
];
const INCIDENT_CAUSES = [
  'a configuration change lowered the database connection pool to 10',
  'an expired intermediate TLS certificate on one load balancer',
  'a retry storm after a dependency returned 429s',
  'a schema migration that locked the events table',
  'disk exhaustion on a single queue node',
];

const incident: Topic = ({ rng, day }) => {
  const id = `INC-${rng.int(1000, 9999)}`;
  const service = rng.pick(INCIDENT_SERVICES);
  const duration = `${rng.int(7, 180)} minutes`;
  const startHour = rng.int(0, 21);
  return {
    topic: 'incident',
    key: id,
    subject: `Incident ${id}: ${service} degraded`,
    owner: P.dana,
    from: P.soren,
    to: [P.dana, P.marcus, P.priya],
    cc: rng.chance(0.5) ? [P.rafael] : [],
    forwardTo: P.jose,
    opening: [
      `Summary of ${id}: starting at ${pad2(startHour)}:${pad2(rng.int(0, 59))} UTC on ${longDate(day)}, the ${service} returned errors for ${rng.int(3, 60)}% of requests. The incident lasted ${keep(duration)}.`,
      `Root cause: ${rng.pick(INCIDENT_CAUSES)}. ${rng.int(2, 140)} customers saw failed requests; no data was lost.`,
      `Action items are in the postmortem doc, which we will review on ${longDate(daysAfter(rng, day, 2, 6))}.`,
    ],
    replies: [
      {
        from: P.marcus,
        paragraphs: [
          'Thanks for the quick write-up. Can we add a check to the deploy pipeline so this cannot go out again without review?',
        ],
      },
      {
        from: P.rafael,
        paragraphs: [
          'Affected customers have been notified. Two asked for the postmortem; I will share the external version once it is ready.',
        ],
      },
      {
        from: P.soren,
        paragraphs: ['Alerting is in place now: it pages at 80% saturation instead of 100%.'],
      },
    ],
    fact: { question: `How long did incident ${id} last?`, answer: duration },
  };
};

const LAPTOPS = ['MacBook Pro 14', 'MacBook Air 15', 'ThinkPad X1 Carbon Gen 12', 'Dell XPS 13'];

const equipment: Topic = ({ rng, day }) => {
  const newHire = candidateName(rng);
  const start = daysAfter(rng, day, 7, 21);
  const assetTag = `NW-LT-${rng.int(10000, 99999)}`;
  return {
    topic: 'equipment',
    key: newHire,
    subject: `Laptop for ${newHire} (starting ${shortDate(start)})`,
    owner: P.dana,
    from: P.ben,
    to: [P.dana],
    cc: rng.chance(0.3) ? [P.olivia] : [],
    forwardTo: P.hannah,
    opening: [
      `${newHire}'s laptop is ready ahead of their first day on ${longDate(start)}: a ${rng.pick(LAPTOPS)} with the standard image. The asset tag is ${assetTag}.`,
      'Accounts are set up for email, Slack and GitHub. The temporary password goes to their personal address the Friday before.',
      `Pickup is at the IT desk on floor ${rng.int(2, 9)} from 9:00 on day one. If they are remote, let me know by ${longDate(start - 5 * DAY)} and I will courier it instead.`,
    ],
    replies: [
      {
        from: P.dana,
        paragraphs: [
          'Thanks! They will be remote for the first week, so a courier would be great. I will send you the address separately.',
        ],
      },
      {
        from: P.ben,
        paragraphs: [
          `Courier booked, tracking number 1Z${code(rng, 6)}${rng.int(1000000000, 9999999999)}. It should arrive two days before the start date.`,
        ],
      },
    ],
    fact: { question: `What asset tag was assigned to ${newHire}'s laptop?`, answer: assetTag },
  };
};

const RESTAURANTS = [
  'Café Mendonça',
  'Osteria Lupa',
  'Sakura Ramen House',
  'Le Petit Zinc',
  'Taquería El Güero',
  'Brasserie Nord',
  'Smørrebrød & Co',
  'The Olive Tree',
  'Pho Saigon',
];

const dinner: Topic = ({ rng, day }) => {
  const restaurant = rng.pick(RESTAURANTS);
  const date = day + rng.int(2, 10) * DAY;
  const time = `${rng.int(6, 8)}:${rng.pick(['00', '15', '30', '45'])} pm`;
  const friends = shuffled(rng, [P.maya, P.lukasz, P.jamie]);
  const from = nth(friends, 0);
  const party = rng.int(3, 8);
  return {
    topic: 'dinner',
    key: `${restaurant} on ${longDate(date)}`,
    subject: rng.pick([
      `Dinner at ${restaurant} on ${weekday(date)}?`,
      `${restaurant}, ${weekday(date)} night`,
    ]),
    owner: P.danaHome,
    from,
    to: [P.danaHome, nth(friends, 1)],
    cc: [],
    forwardTo: nth(friends, 2),
    opening: [
      `I managed to get a table for ${party} at ${restaurant} on ${longDate(date)} at ${keep(time)}!`,
      "They only hold the table for 15 minutes, so let's meet at the bar a bit before.",
      `The booking is under my name, confirmation ${code(rng, 4)}. Tell me by ${weekday(date - 2 * DAY)} if you can't make it so I can change the number.`,
    ],
    replies: [
      {
        from: P.danaHome,
        paragraphs: [`Count me in! Can I bring Ines? That would make us ${party + 1}.`],
      },
      { from, paragraphs: ['Of course, I updated the booking.'] },
      { from: P.danaHome, paragraphs: ['Running 10 minutes late, order without me 😄'] },
    ],
    fact: {
      question: `What time is the dinner reservation at ${restaurant} on ${longDate(date)}?`,
      answer: time,
    },
  };
};

const REPAIRS = [
  'leaking kitchen tap',
  'radiator in the bedroom not heating',
  'broken intercom buzzer',
  'noisy bathroom extractor fan',
  'sticking balcony door',
  'dishwasher not draining',
];

const apartment: Topic = ({ rng, day }) => {
  const repair = rng.pick(REPAIRS);
  const key = `${repair} repair in ${monthYear(day)}`;
  const workOrder = `WO-${rng.int(1000, 9999)}`;
  const visit = daysAfter(rng, day, 1, 6);
  const visitHour = rng.int(8, 14);
  return {
    topic: 'apartment',
    key,
    subject: rng.pick([`Maintenance request ${workOrder}`, `Your maintenance request: ${repair}`]),
    owner: P.danaHome,
    from: P.hiro,
    to: [P.danaHome],
    cc: [],
    forwardTo: P.jamie,
    opening: [
      `Thank you for reporting the ${repair} in Apt ${rng.int(1, 12)}${rng.pick(['A', 'B', 'C', 'D'])}. We have logged it as work order ${workOrder}.`,
      `A technician from ${rng.pick(['Hudson Plumbing', 'Brightwell Electric', 'Parkside Repairs'])} will visit on ${longDate(visit)} between ${visitHour}:00 and ${visitHour + 2}:00. Please make sure someone is home, or leave a key with the concierge signed out against the work order number.`,
      'If the problem gets worse before then (for example water on the floor), please call the emergency line on +1 212 555 0199.',
    ],
    replies: [
      {
        from: P.danaHome,
        paragraphs: ["Thanks, I'll leave a key with the concierge in the morning."],
      },
      {
        from: P.hiro,
        paragraphs: [
          'The technician has finished and the work order is closed. Let us know if anything else comes up.',
        ],
      },
    ],
    fact: { question: `What is the work order number for the ${key}?`, answer: workOrder },
  };
};

const TEAMS = words('growth platform onboarding payments mobile');

const okr: Topic = ({ rng, day }) => {
  const period = `${new Date(day).getUTCMonth() < 6 ? 'H1' : 'H2'} ${wallClock(day, 0).year}`;
  const team = rng.pick(TEAMS);
  const activation = `${rng.int(28, 64)}.${rng.int(0, 9)}%`;
  return {
    topic: 'okr',
    key: `${period} ${team}`,
    subject: `${period} OKR check-in: ${team} team`,
    owner: P.dana,
    from: P.marcus,
    to: [P.dana],
    cc: rng.chance(0.5) ? [P.priya] : [],
    forwardTo: P.grace,
    opening: [
      `Here is the ${period} check-in for the ${team} team. Activation rate is at ${activation} against a target of ${rng.int(40, 70)}%; the new onboarding checklist shipped mid-quarter, so the full effect is not in yet.`,
      `Weekly active teams grew ${rng.int(2, 19)}% quarter on quarter. Churn is flat at ${rng.int(1, 4)}.${rng.int(0, 9)}%, which is still above where we want it.`,
      'I would like to drop the partner integrations key result so we can focus on activation. Thoughts?',
    ],
    replies: [
      {
        from: P.dana,
        paragraphs: [
          'Agree on dropping it. Please make sure activation is measured the same way as last half, otherwise the comparison is meaningless.',
          'Can you also pull churn by plan tier before the leadership review?',
        ],
      },
      {
        from: P.marcus,
        paragraphs: ['Churn by tier: most of it is on the starter plan. I added it to the deck.'],
      },
    ],
    fact: {
      question: `What activation rate did the ${team} team report in the ${period} OKR check-in?`,
      answer: activation,
    },
  };
};

const OCCASIONS = [
  "Mom's birthday",
  "Dad's retirement",
  "Grandma's birthday",
  "our parents' anniversary",
];
const GIFTS = [
  'a weekend at a B&B upstate',
  'the espresso machine from the shop on Elm Street',
  'a framed print of the old house',
  'cooking classes',
];

const family: Topic = ({ rng, day }) => {
  const occasion = rng.pick(OCCASIONS);
  const key = `${occasion} in ${wallClock(day, 0).year}`;
  const each = `${money('$', rng.int(12, 60) * 5)} each`;
  return {
    topic: 'family',
    key,
    subject: rng.pick([`${capitalize(occasion)}: gift idea`, `Plan for ${occasion}`]),
    owner: P.danaHome,
    from: P.jamie,
    to: [P.danaHome],
    cc: [],
    forwardTo: P.maya,
    opening: [
      `I've been thinking about ${occasion}. How about we go in together on ${rng.pick(GIFTS)}? If we split it three ways with Ines it comes to ${keep(each)}.`,
      `The get-together is on ${longDate(daysAfter(rng, day, 10, 40))} at ${rng.pick(['the lake house', "Aunt Ruth's", 'Osteria Lupa'])}. I said we would bring dessert.`,
      'Can you send your share by the end of next week? My account details have not changed.',
    ],
    replies: [
      { from: P.danaHome, paragraphs: ['Love it. Sent my share just now.'] },
      { from: P.jamie, paragraphs: ["Got it, thanks! I'll order it tonight."] },
    ],
    fact: { question: `How much is each of us chipping in for ${key}?`, answer: each },
  };
};

const TOPICS: readonly Topic[] = [
  launch,
  budget,
  hiring,
  travel,
  escalation,
  conference,
  invoice,
  labResults,
  meeting,
  contract,
  incident,
  equipment,
  dinner,
  apartment,
  okr,
  family,
];

// ---------------------------------------------------------------------------------------------
// Writing bodies

const LOW_INFORMATION_REPLIES = [
  'ok thanks',
  '+1',
  'Thanks!',
  'Sounds good.',
  'Got it, thanks.',
  'Perfect, thank you.',
  'Will do.',
  '👍',
  'Noted, thanks.',
  'Great, thanks for sorting this out.',
];

/** Hard-wraps like a mail client; protected spaces become real ones only after the break. */
function wrap(paragraph: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(' ')) {
    if (line && line.length + 1 + word.length > WRAP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join('\n').replaceAll(NBSP, ' ');
}

function greeting(rng: Rng, sender: Person, recipients: Person[]): string {
  if (recipients.length > 1) return rng.pick(['Hi all,', 'Hi everyone,', 'Hi team,']);
  const first = nth(recipients, 0).first;
  if (sender.company.formal) return `Dear ${first},`;
  return rng.pick([`Hi ${first},`, `Hello ${first},`, `${first},`, `Hey ${first},`]);
}

function signature(sender: Person): string[] {
  const blocks: string[] = [];
  if (!sender.company.personal) {
    blocks.push(
      ['-- ', sender.name, `${sender.title} | ${sender.company.name}`, sender.phone].join('\n'),
    );
  }
  if (sender.company.disclaimer) blocks.push(wrap(sender.company.disclaimer));
  return blocks;
}

function composeText(rng: Rng, sender: Person, recipients: Person[], paragraphs: string[]): string {
  const signOff = rng.pick(
    sender.company.formal ? ['Kind regards,', 'Best regards,'] : ['Thanks,', 'Best,', 'Cheers,'],
  );
  return [
    greeting(rng, sender, recipients),
    ...paragraphs.map(wrap),
    `${signOff}\n${sender.first}`,
    ...signature(sender),
  ].join('\n\n');
}

/** Quick acknowledgements, often from a phone; a gateway disclaimer is still appended. */
function composeAcknowledgement(rng: Rng, sender: Person): string {
  const signOff = rng.chance(0.4) ? 'Sent from my iPhone' : sender.first;
  const disclaimer = sender.company.disclaimer ? [wrap(sender.company.disclaimer)] : [];
  return [rng.pick(LOW_INFORMATION_REPLIES), signOff, ...disclaimer].join('\n\n');
}

const displayAddress = (p: Person): string => `${p.name} <${p.email}>`;

function gmailQuote(previous: Draft): string {
  const attribution = `On ${attributionDate(previous.date, previous.from.company.utcOffset)}, ${displayAddress(previous.from)} wrote:`;
  const quoted = plainText(previous)
    .split('\n')
    .map((line) => (line === '' ? '>' : line.startsWith('>') ? `>${line}` : `> ${line}`));
  return [attribution, ...quoted].join('\n');
}

function outlookQuote(previous: Draft): string {
  return [
    '-----Original Message-----',
    `From: ${displayAddress(previous.from)}`,
    `Sent: ${outlookDate(previous.date, previous.from.company.utcOffset)}`,
    `To: ${previous.to.map(displayAddress).join('; ')}`,
    ...(previous.cc.length > 0 ? [`Cc: ${previous.cc.map(displayAddress).join('; ')}`] : []),
    `Subject: ${previous.subject}`,
    '',
    plainText(previous),
  ].join('\n');
}

function forwardedBlock(original: Draft): string {
  return [
    '---------- Forwarded message ---------',
    `From: ${displayAddress(original.from)}`,
    `Date: ${forwardDate(original.date, original.from.company.utcOffset)}`,
    `Subject: ${original.subject}`,
    `To: ${original.to.map(displayAddress).join(', ')}`,
    ...(original.cc.length > 0 ? [`Cc: ${original.cc.map(displayAddress).join(', ')}`] : []),
    '',
    plainText(original),
  ].join('\n');
}

/** Marks a re-sent message by changing exactly one line: the first line of the sender's text. */
function markResent(own: string): string {
  const newline = own.indexOf('\n');
  const first = newline === -1 ? own : own.slice(0, newline);
  const rest = newline === -1 ? '' : own.slice(newline);
  return `${first.replace(/,$/, '')} (resending, the first copy bounced for some of you)${rest}`;
}

// ---------------------------------------------------------------------------------------------
// Threads

interface Draft {
  kind: 'original' | 'reply' | 'forward';
  threadId: string;
  messageId: string;
  date: number;
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  inReplyTo?: string;
  references: string[];
  /** What the sender wrote, including signature. */
  own: string;
  /** Earlier text carried along: a quoted reply or a forwarded message. */
  carried?: string;
  html: boolean;
  attachment?: Attachment;
}

function plainText(draft: Draft): string {
  return draft.carried ? `${draft.own}\n\n${draft.carried}` : draft.own;
}

interface Generation {
  rng: Rng;
  messageIds: number;
  threads: number;
}

function messageId(g: Generation, from: Person, date: number): string {
  g.messageIds += 1;
  const random = g.rng.int(0, 0xffffffff).toString(16).padStart(8, '0');
  return `<${date.toString(36)}.${g.messageIds.toString(36)}.${random}@${from.company.domain}>`;
}

function threadId(g: Generation): string {
  g.threads += 1;
  return `thread-${String(g.threads).padStart(5, '0')}`;
}

/** Replies mostly come within hours, occasionally the next day. */
function replyDelay(rng: Rng): number {
  return Math.round((4 + 1800 * rng.next() ** 3) * MINUTE) + rng.int(0, 59) * 1000;
}

function openerDraft(g: Generation, scenario: Scenario, day: number): Draft {
  const { rng } = g;
  const localStart = (rng.int(8, 17) * 60 + rng.int(0, 59)) * MINUTE + rng.int(0, 59) * 1000;
  const date = day - 12 * 60 * MINUTE + localStart - scenario.from.company.utcOffset * MINUTE;
  return {
    kind: 'original',
    threadId: threadId(g),
    messageId: messageId(g, scenario.from, date),
    date,
    from: scenario.from,
    to: scenario.to,
    cc: scenario.cc,
    subject: scenario.subject,
    references: [],
    own: composeText(rng, scenario.from, scenario.to, scenario.opening),
    html: rng.chance(HTML_RATE),
    attachment: scenario.attachment,
  };
}

/** Reply-all to `previous`; a scripted reply when its author fits, otherwise an acknowledgement. */
function replyDraft(
  g: Generation,
  previous: Draft,
  participants: Person[],
  script: ScriptedReply[],
): Draft {
  const { rng } = g;
  const scripted = script[0];
  const useScript =
    scripted !== undefined && scripted.from !== previous.from && rng.chance(SCRIPTED_REPLY_RATE);
  if (useScript) script.shift();
  const from = useScript
    ? scripted.from
    : rng.pick(participants.filter((p) => p !== previous.from));
  const cc = participants.filter((p) => p !== from && p !== previous.from);
  const date = previous.date + replyDelay(rng);
  const isOutlook = from.company.mailer === 'outlook';
  return {
    kind: 'reply',
    threadId: previous.threadId,
    messageId: messageId(g, from, date),
    date,
    from,
    to: [previous.from],
    cc,
    subject: `${isOutlook ? 'RE:' : 'Re:'} ${previous.subject.replace(/^(Re|RE): /, '')}`,
    inReplyTo: previous.messageId,
    references: [...previous.references, previous.messageId],
    own: useScript
      ? composeText(rng, from, [previous.from], scripted.paragraphs)
      : composeAcknowledgement(rng, from),
    carried: isOutlook ? outlookQuote(previous) : gmailQuote(previous),
    html: rng.chance(HTML_RATE),
  };
}

/**
 * A forward reaches a new audience without In-Reply-To, so mail clients start a new
 * conversation for it; it gets its own threadId to match.
 */
function forwardDraft(g: Generation, scenario: Scenario, original: Draft): Draft {
  const { rng } = g;
  const date = original.date + replyDelay(rng);
  const note = rng.pick([
    'FYI, see below.',
    'Forwarding for your records.',
    'Could you take a look at this when you have a minute?',
    'Passing this on, in case it is useful.',
  ]);
  return {
    kind: 'forward',
    threadId: threadId(g),
    messageId: messageId(g, scenario.owner, date),
    date,
    from: scenario.owner,
    to: [scenario.forwardTo],
    cc: [],
    subject: `Fwd: ${original.subject}`,
    references: [],
    own: composeText(rng, scenario.owner, [scenario.forwardTo], [note]),
    carried: forwardedBlock(original),
    html: rng.chance(HTML_RATE),
  };
}

interface Thread {
  scenario: Scenario;
  drafts: Draft[];
}

function generateThread(g: Generation): Thread {
  const { rng } = g;
  const day = MAILBOX_START + rng.int(0, MAILBOX_DAYS - 1) * DAY + 12 * 60 * MINUTE;
  const scenario = rng.pick(TOPICS)({ rng, day });
  const participants = [...new Set([scenario.from, ...scenario.to, ...scenario.cc])];
  // A scripted author who is not on this particular thread (optional Cc) stays silent.
  const script = scenario.replies.filter((reply) => participants.includes(reply.from));
  const drafts = [openerDraft(g, scenario, day)];
  const length = rng.pick(THREAD_LENGTHS);
  while (drafts.length < length) {
    drafts.push(replyDraft(g, nth(drafts, drafts.length - 1), participants, script));
  }
  if (rng.chance(FORWARD_RATE)) {
    drafts.push(forwardDraft(g, scenario, nth(drafts, drafts.length - 1)));
  }
  return { scenario, drafts };
}

// ---------------------------------------------------------------------------------------------
// RFC 5322 / MIME rendering

const isAscii = (text: string): boolean => /^[\n\x20-\x7e]*$/.test(text);

function encodedWord(text: string, encoding: 'B' | 'Q'): string {
  const bytes = Buffer.from(text, 'utf8');
  let payload = '';
  if (encoding === 'B') payload = bytes.toString('base64');
  else {
    for (const byte of bytes) {
      const char = String.fromCharCode(byte);
      payload +=
        byte === 0x20
          ? '_'
          : /[A-Za-z0-9!*+\-/]/.test(char)
            ? char
            : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return `=?UTF-8?${encoding}?${payload}?=`;
}

/**
 * RFC 2047: header text is 7-bit, so non-ASCII travels as encoded words. They may be 75 chars
 * long, but shorter ones let "Subject: " plus a word still fit the 78-character line.
 */
const MAX_ENCODED_WORD = 66;

function encodeHeaderText(text: string, encoding: 'B' | 'Q'): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (chunk && encodedWord(chunk + char, encoding).length > MAX_ENCODED_WORD) {
      words.push(encodedWord(chunk, encoding));
      chunk = '';
    }
    chunk += char;
  }
  words.push(encodedWord(chunk, encoding));
  return words.join(' ');
}

const address = (p: Person): string => `${encodeHeaderText(p.name, 'B')} <${p.email}>`;

/** Folds at spaces so header lines stay within the 78 characters RFC 5322 recommends. */
function header(name: string, value: string): string {
  const lines: string[] = [];
  let line = `${name}:`;
  let tokensOnLine = 0;
  for (const token of value.split(' ')) {
    if (tokensOnLine > 0 && line.length + 1 + token.length > 78) {
      lines.push(line);
      line = '';
      tokensOnLine = 0;
    }
    line += ` ${token}`;
    tokensOnLine += 1;
  }
  lines.push(line);
  return lines.join(CRLF);
}

interface Entity {
  headers: string[];
  body: string;
}

const serialize = (entity: Entity): string =>
  `${entity.headers.join(CRLF)}${CRLF}${CRLF}${entity.body}`;

function textEntity(subtype: 'plain' | 'html', text: string): Entity {
  const crlfText = text.replaceAll('\n', CRLF);
  return {
    headers: [
      `Content-Type: text/${subtype}; charset=utf-8`,
      `Content-Transfer-Encoding: ${isAscii(text) ? '7bit' : '8bit'}`,
    ],
    body: crlfText,
  };
}

function attachmentEntity(attachment: Attachment): Entity {
  const base64 = Buffer.from(attachment.content).toString('base64');
  return {
    headers: [
      header('Content-Type', `${attachment.contentType}; name="${attachment.fileName}"`),
      header('Content-Disposition', `attachment; filename="${attachment.fileName}"`),
      'Content-Transfer-Encoding: base64',
    ],
    body: (base64.match(/.{1,76}/g) ?? []).join(CRLF),
  };
}

function multipart(subtype: 'alternative' | 'mixed', boundary: string, parts: Entity[]): Entity {
  const body = parts.map((part) => `--${boundary}${CRLF}${serialize(part)}${CRLF}`).join('');
  return {
    headers: [header('Content-Type', `multipart/${subtype}; boundary="${boundary}"`)],
    body: `${body}--${boundary}--`,
  };
}

const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

function htmlParagraphs(text: string): string {
  return text
    .split('\n\n')
    .map((paragraph) => `<p>${paragraph.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
    .join('\n');
}

function html(draft: Draft): string {
  const carried = draft.carried
    ? `\n<blockquote type="cite">\n${htmlParagraphs(draft.carried)}\n</blockquote>`
    : '';
  return `<html>\n<body>\n${htmlParagraphs(draft.own)}${carried}\n</body>\n</html>`;
}

function bodyEntity(draft: Draft): Entity {
  // Boundaries derive from the Message-ID so they are unique per message yet reproducible.
  const boundaryBase = `=_memtape_${draft.messageId.slice(1, draft.messageId.indexOf('@'))}`;
  const plain = textEntity('plain', plainText(draft));
  const text = draft.html
    ? multipart('alternative', `${boundaryBase}_alt`, [plain, textEntity('html', html(draft))])
    : plain;
  return draft.attachment
    ? multipart('mixed', `${boundaryBase}_mix`, [text, attachmentEntity(draft.attachment)])
    : text;
}

function renderEml(draft: Draft): string {
  const entity = bodyEntity(draft);
  const headers = [
    'MIME-Version: 1.0',
    header('Date', rfc2822Date(draft.date, draft.from.company.utcOffset)),
    header('Message-ID', draft.messageId),
    ...(draft.inReplyTo
      ? [header('In-Reply-To', draft.inReplyTo), header('References', draft.references.join(' '))]
      : []),
    header('Subject', encodeHeaderText(draft.subject, 'Q')),
    header('From', address(draft.from)),
    header('To', draft.to.map(address).join(', ')),
    ...(draft.cc.length > 0 ? [header('Cc', draft.cc.map(address).join(', '))] : []),
    ...entity.headers,
  ];
  return `${headers.join(CRLF)}${CRLF}${CRLF}${entity.body}${CRLF}`;
}

// ---------------------------------------------------------------------------------------------
// Mailbox assembly

interface Emitted {
  draft: Draft;
  message: Omit<GeneratedMessage, 'fileName'>;
}

function emit(draft: Draft): Emitted {
  return {
    draft,
    message: {
      eml: renderEml(draft),
      messageId: draft.messageId,
      threadId: draft.threadId,
      kind: draft.kind,
    },
  };
}

/** Exact copies stand for a mailbox exported twice; near copies for a message sent again. */
function duplicate(g: Generation, source: Emitted): Emitted {
  const { rng } = g;
  const duplicateOf = source.draft.messageId;
  if (rng.chance(0.5)) {
    return {
      draft: source.draft,
      message: { ...source.message, duplicateOf, kind: 'exact-duplicate' },
    };
  }
  const date = source.draft.date + rng.int(3, 240) * MINUTE;
  const draft: Draft = {
    ...source.draft,
    date,
    messageId: messageId(g, source.draft.from, date),
    own: rng.chance(0.5) ? markResent(source.draft.own) : source.draft.own,
  };
  const { message } = emit(draft);
  return { draft, message: { ...message, duplicateOf, kind: 'near-duplicate' } };
}

interface FactCandidate {
  topic: string;
  key: string;
  question: string;
  answer: string;
  messageId: string;
}

/**
 * Only details whose subject and answer occur once in the mailbox make fair questions. Topics
 * take turns so the questions cover many kinds of detail rather than twenty flight numbers.
 */
function selectFacts(candidates: FactCandidate[]): MailboxFact[] {
  const tally = (values: string[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const keys = tally(candidates.map((c) => `${c.topic}:${c.key}`));
  const answers = tally(candidates.map((c) => c.answer));
  const byTopic = new Map<string, FactCandidate[]>();
  for (const candidate of candidates) {
    if (keys.get(`${candidate.topic}:${candidate.key}`) !== 1) continue;
    if (answers.get(candidate.answer) !== 1) continue;
    byTopic.set(candidate.topic, [...(byTopic.get(candidate.topic) ?? []), candidate]);
  }
  const facts: MailboxFact[] = [];
  for (let round = 0; facts.length < MAX_FACTS; round++) {
    const picks = [...byTopic.values()].flatMap((list) => list.slice(round, round + 1));
    if (picks.length === 0) break;
    for (const pick of picks.slice(0, MAX_FACTS - facts.length)) {
      facts.push({
        question: pick.question,
        answerMessageId: pick.messageId,
        answerText: pick.answer,
      });
    }
  }
  return facts;
}

function slug(subject: string): string {
  const text = asciiFold(subject)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return text || 'message';
}

function validate(count: number, duplicateRate: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
    throw new RangeError(`duplicateRate must be between 0 and 1, got ${duplicateRate}`);
  }
}

export function generateMailbox(options: MailboxOptions): GeneratedMailbox {
  const { count, seed = DEFAULT_SEED, duplicateRate = DEFAULT_DUPLICATE_RATE } = options;
  validate(count, duplicateRate);
  const g: Generation = { rng: createRng(seed), messageIds: 0, threads: 0 };
  const emitted: Emitted[] = [];
  const originals: Emitted[] = [];
  const candidates: FactCandidate[] = [];
  let pending: Draft[] = [];

  while (emitted.length < count) {
    if (originals.length > 0 && g.rng.chance(duplicateRate)) {
      emitted.push(duplicate(g, g.rng.pick(originals)));
      continue;
    }
    if (pending.length === 0) {
      // The thread opener is emitted right below, so its fact is always in the mailbox; a
      // thread cut short by `count` merely loses its tail.
      const { scenario, drafts } = generateThread(g);
      const { topic, key, fact } = scenario;
      const opener = nth(drafts, 0).messageId;
      candidates.push({ topic, key, ...fact, messageId: opener });
      pending = drafts;
    }
    const next = emit(nth(pending, 0));
    pending = pending.slice(1);
    emitted.push(next);
    originals.push(next);
  }

  // Exports list mail chronologically; the stable sort keeps an exact copy after its original.
  const chronological = emitted.toSorted((a, b) => a.draft.date - b.draft.date);
  const width = Math.max(4, String(count).length);
  const messages = chronological.map(({ draft, message }, index) => ({
    fileName: `${String(index + 1).padStart(width, '0')}-${slug(draft.subject)}.eml`,
    ...message,
  }));
  return { messages, facts: selectFacts(candidates) };
}

/** Writes in batches: thousands of concurrent writes would run out of file descriptors. */
const WRITE_BATCH = 64;

export async function writeMailbox(dir: string, mailbox: GeneratedMailbox): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let start = 0; start < mailbox.messages.length; start += WRITE_BATCH) {
    const batch = mailbox.messages.slice(start, start + WRITE_BATCH);
    await Promise.all(batch.map((m) => writeFile(path.join(dir, m.fileName), m.eml)));
  }
}
