package dev.taskwatch.taskcenter.auth;

/**
 * A named credential from the {@code credentials:} section of the configuration. {@code toString()} of every variant
 * masks the secret parts so a credential can never leak through logging.
 */
public sealed interface Credentials {

    String name();

    /** {@code type: token}: a ready IAM token sent as {@code X-Auth-Token}. */
    record StaticToken(String name, String token) implements Credentials {
        @Override
        public String toString() {
            return "StaticToken[name=" + name + ", token=****]";
        }
    }

    /**
     * {@code type: password}: IAM password login for a project-scoped token.
     *
     * @param domain      the account (domain) name the user belongs to
     * @param iamEndpoint IAM base URL; null means {@code https://iam.<region>.otc.t-systems.com}
     */
    record Password(String name, String user, String password, String domain, String iamEndpoint)
            implements Credentials {
        @Override
        public String toString() {
            return "Password[name=" + name + ", user=" + user + ", domain=" + domain + ", iamEndpoint=" + iamEndpoint
                    + ", password=****]";
        }
    }

    /**
     * {@code type: aksk}: access key / secret key request signing.
     *
     * @param securityToken for temporary credentials (sent as {@code X-Security-Token}); null otherwise
     */
    record AkSk(String name, String accessKey, String secretKey, String securityToken) implements Credentials {
        @Override
        public String toString() {
            return "AkSk[name=" + name + ", accessKey=" + Masking.mask(accessKey) + ", secretKey=****"
                    + (securityToken == null ? "" : ", securityToken=****") + "]";
        }
    }
}
