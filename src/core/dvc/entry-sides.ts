/** What a DVC entry was at the base (`old…`) and is at the head (`new…`); a field is absent where the side has no entry, or DVC recorded no size. */
export interface EntrySides {
  readonly oldHash?: string | undefined;
  readonly newHash?: string | undefined;
  readonly oldSize?: number | undefined;
  readonly newSize?: number | undefined;
}
