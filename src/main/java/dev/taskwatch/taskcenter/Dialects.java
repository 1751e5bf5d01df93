package dev.taskwatch.taskcenter;

/** The dialect of each service. Dialects are stateless, so one instance per service serves every target. */
public final class Dialects {

    private static final TaskCenterDialect GEMINIDB = new GeminiDbDialect();
    private static final TaskCenterDialect OPENGAUSS = new OpenGaussDialect();
    private static final TaskCenterDialect DDS = new DdsDialect();
    private static final TaskCenterDialect TAURUSDB = new TaurusDbDialect();

    private Dialects() {}

    public static TaskCenterDialect of(Service service) {
        return switch (service) {
            case GEMINIDB -> GEMINIDB;
            case OPENGAUSS -> OPENGAUSS;
            case DDS -> DDS;
            case TAURUSDB -> TAURUSDB;
        };
    }
}
