package dev.taskwatch.taskcenter;

/**
 * The dialect of each service on each cloud. Dialects are stateless, so one instance per service and cloud serves
 * every target; only TaurusDB's paths and DDS's list path differ between the clouds ({@link CloudProfile}).
 */
public final class Dialects {

    private static final TaskCenterDialect GEMINIDB = new GeminiDbDialect();
    private static final TaskCenterDialect OPENGAUSS = new OpenGaussDialect();
    private static final TaskCenterDialect DDS = new DdsDialect();
    private static final TaskCenterDialect TAURUSDB = new TaurusDbDialect(CloudProfile.OTC);
    private static final TaskCenterDialect TAURUSDB_HUAWEI = new TaurusDbDialect(CloudProfile.HUAWEI);
    private static final TaskCenterDialect DDS_HUAWEI = new DdsDialect(CloudProfile.HUAWEI);
    private static final TaskCenterDialect RDS = new RdsDialect();

    private Dialects() {}

    /** The dialect of {@code service} on {@code cloud}. */
    public static TaskCenterDialect of(Service service, CloudProfile cloud) {
        if (cloud == CloudProfile.HUAWEI) {
            return switch (service) {
                case TAURUSDB -> TAURUSDB_HUAWEI;
                case DDS -> DDS_HUAWEI;
                default -> of(service);
            };
        }
        return of(service);
    }

    /** The dialect of {@code service} on Open Telekom Cloud (the default cloud, and the simulator's paths). */
    public static TaskCenterDialect of(Service service) {
        return switch (service) {
            case GEMINIDB -> GEMINIDB;
            case OPENGAUSS -> OPENGAUSS;
            case DDS -> DDS;
            case TAURUSDB -> TAURUSDB;
            case RDS -> RDS;
        };
    }
}
