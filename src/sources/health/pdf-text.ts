import { PasswordException, PDFParse } from 'pdf-parse';
import { ParseError } from '../../shared/errors.ts';

export interface PdfText {
  /** The pages' text in reading order, pages apart by a blank line. */
  text: string;
  pages: number;
}

/**
 * The text layer of a PDF, through pdf-parse (Mozilla's pdf.js). A PDF memtape cannot read
 * yields a ParseError naming the reason, never an empty or garbled text: a password-protected
 * one (its text is encrypted), one that is not a PDF or is damaged, and one with no text layer
 * at all (a scan), which would need OCR.
 */
export async function extractPdfText(bytes: Uint8Array, itemName: string): Promise<PdfText> {
  // pdf.js takes ownership of the buffer it is given; a copy keeps the caller's bytes intact.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const result = await parser.getText();
    const text = result.pages.map((page) => page.text.trim()).join('\n\n');
    if (!/[\p{L}\p{N}]/u.test(text)) {
      throw new ParseError(
        itemName,
        `PDF has no text layer on any of its ${result.total} pages (a scan or images only); OCR is not supported`,
      );
    }
    return { text, pages: result.total };
  } catch (error) {
    if (error instanceof ParseError) throw error;
    if (error instanceof PasswordException) {
      throw new ParseError(
        itemName,
        'PDF is password-protected (encrypted); remove the password and add the file again',
      );
    }
    throw new ParseError(itemName, `not a readable PDF (${(error as Error).message})`);
  } finally {
    await parser.destroy();
  }
}
