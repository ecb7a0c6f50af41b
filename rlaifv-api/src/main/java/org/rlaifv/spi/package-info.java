/**
 * The backend SPI: engines register a {@link org.rlaifv.spi.BackendProvider} in {@code
 * META-INF/services/org.rlaifv.spi.BackendProvider}; {@link org.rlaifv.spi.Backends} finds them
 * by name, by capability, or by the {@code rlaifv.backend} system property ({@code RLAIFV_BACKEND}
 * environment variable).
 */
package org.rlaifv.spi;
