/**
 * The RLAIF-V API: values (records), roles (small interfaces) and exceptions.
 *
 * <p>Everything here is engine-free. Implementations live in {@code rlaifv-core} (scoring, pairing,
 * the alignment loop) and in backend modules ({@code rlaifv-djl}, {@code rlaifv-onnx}) found
 * through {@link org.rlaifv.spi.BackendProvider}.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise; methods never return
 * null collections.
 */
package org.rlaifv;
