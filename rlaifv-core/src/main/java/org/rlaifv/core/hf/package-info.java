/** Readers for Hugging Face model-directory files. */
package org.rlaifv.core.hf;
