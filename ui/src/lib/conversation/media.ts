const IMAGE = /\.(png|jpe?g|gif|webp|avif|bmp|svg)(\?.*)?$/i;

export function isImageUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && IMAGE.test(u.pathname);
  } catch {
    return false;
  }
}

export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
