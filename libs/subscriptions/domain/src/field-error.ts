/** One invalid input field and why, as the API answers it (`400 { errors: [...] }`). */
export interface FieldError {
  field: string;
  reason: string;
}
