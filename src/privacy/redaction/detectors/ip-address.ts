import { isIPv4, isIPv6 } from 'node:net';
import { type Detector, regexDetections } from '../detection.ts';

/**
 * IPv4 addresses (four octets 0-255, not part of a longer dotted number such as a version
 * 1.2.3.4.5) and IPv6 addresses (validated by node:net; a time such as 12:30:45 is not one).
 */
const ipv4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;
const ipv6 = /(?<![\w:])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){7})[0-9A-Fa-f:]{2,39}(?![\w:])/g;

export const ipAddressDetector: Detector = {
  kind: 'ip-address',
  detect: (text) => [
    ...regexDetections('ip-address', text, ipv4, (value) => (isIPv4(value) ? value : undefined)),
    ...regexDetections('ip-address', text, ipv6, (value) =>
      isIPv6(value) && value !== '::' ? value.toLowerCase() : undefined,
    ),
  ],
};
