export interface Address {
  name?: string;
  address?: string;
}

export interface AttachmentInfo {
  filename?: string;
  contentType: string;
  size: number;
  contentId?: string;
  /** Shown inside the body (an embedded image) rather than offered as a separate file. */
  inline: boolean;
}

export interface ParsedEmail {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  subject?: string;
  from: Address[];
  to: Address[];
  cc: Address[];
  date?: Date;
  /** Normalized body: the plain-text part, or the HTML part as text when there is none. */
  text: string;
  attachments: AttachmentInfo[];
}
