package dev.taskwatch.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SSL contexts from key and trust store files, scoped to one client instead of the JVM-wide
 * {@code javax.net.ssl.*} properties (which would also change what Kafka and every other client trusts).
 */
public final class TrustStores {

    private TrustStores() {}

    /**
     * @param keyPrefix configuration key of the trust store, e.g. {@code poller.trust-store}, named in errors
     * @throws IllegalArgumentException one line naming the key and the file, never the password
     */
    public static SSLContext context(String keyPrefix, Path trustStore, String trustPassword, String trustType,
            String keyStoreKey, Path keyStore, String keyPassword, String keyType) {
        try {
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(keyPrefix, trustStore, trustPassword, trustType));
            }
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStoreKey, keyStore, keyPassword, keyType),
                        keyPassword == null ? new char[0] : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(keyPrefix + ": cannot build a TLS context from " + trustStore
                    + (keyStore == null ? "" : " and " + keyStore) + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** A trust-only context. */
    public static SSLContext trusting(String key, Path trustStore, String password, String type) {
        return context(key, trustStore, password, type, null, null, null, null);
    }

    static KeyStore load(String key, Path file, String password, String type) {
        String storeType = type == null || type.isBlank() ? HttpClientSettings.DEFAULT_TRUST_STORE_TYPE : type;
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(storeType);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException e) {
            // the JDK reports a wrong password as an IOException caused by UnrecoverableKeyException
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    ? "wrong password or corrupt file" : e.getClass().getSimpleName()
                    + (e instanceof java.nio.file.NoSuchFileException ? " (no such file)" : "");
            throw new IllegalArgumentException(key + ": cannot read " + storeType + " store " + file + ": " + why, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + ": cannot read " + storeType + " store " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
