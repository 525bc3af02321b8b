export { generateSigningSecret, secretKey, type SignedContent, signWebhook } from './signature';
