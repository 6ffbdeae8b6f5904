export interface Address {
  name?: string;
  address?: string;
}

export interface EmailAttachment {
  filename?: string;
  contentType: string;
  contentId?: string;
  /** Shown inside the body (an embedded image) rather than offered as a separate file. */
  inline: boolean;
  /**
   * An image the HTML body displays through a cid: link (a logo, a signature picture): part of
   * the body's layout rather than a file the sender meant to pass on.
   */
  shownInHtml: boolean;
  /** The decoded content. */
  bytes: Buffer;
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
  attachments: EmailAttachment[];
}
