const BY_EXTENSION: Record<string, string> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  heic: 'image',
  mp4: 'video',
  mov: 'video',
  '3gp': 'video',
  webm: 'video',
  opus: 'audio',
  ogg: 'audio',
  m4a: 'audio',
  mp3: 'audio',
  aac: 'audio',
  wav: 'audio',
};

/** The coarse kind of an attached file from its MIME type, else from its name's extension. */
export function attachmentType(name: string, mimeType?: string): string {
  const topLevel = mimeType?.split('/')[0];
  if (topLevel === 'image' || topLevel === 'video' || topLevel === 'audio') return topLevel;
  const extension = name.includes('.') ? name.split('.').pop()?.toLowerCase() : undefined;
  return (extension && BY_EXTENSION[extension]) || 'file';
}
